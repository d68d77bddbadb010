#pragma once
#include <napi.h>
namespace plm {
void registerOpBindings(Napi::Env env, Napi::Object exports);
}
