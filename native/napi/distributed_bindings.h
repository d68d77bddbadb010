// Node-API bindings of native/torch/distributed: process groups, collectives, gradient buckets.
#pragma once

#include <napi.h>

namespace plm {

void registerDistributedBindings(Napi::Env env, Napi::Object exports);

}  // namespace plm
