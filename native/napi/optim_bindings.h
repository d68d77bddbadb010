#pragma once
#include <napi.h>
namespace plm {
void registerOptimBindings(Napi::Env env, Napi::Object exports);
}
