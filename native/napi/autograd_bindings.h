#pragma once
#include <napi.h>
namespace plm {
void registerAutogradBindings(Napi::Env env, Napi::Object exports);
}
