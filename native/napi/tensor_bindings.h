#pragma once
#include <napi.h>
namespace plm {
void registerTensorBindings(Napi::Env env, Napi::Object exports);
}
