#pragma once
#include <napi.h>
namespace plm {
void registerRuntimeBindings(Napi::Env env, Napi::Object exports);
}
