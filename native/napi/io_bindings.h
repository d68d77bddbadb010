#pragma once
#include <napi.h>
namespace plm {
void registerIoBindings(Napi::Env env, Napi::Object exports);
}
