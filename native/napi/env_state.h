// Per-environment state: each main thread or worker_thread that loads the addon gets
// its own, so workers never share JS references or operator tables.
#pragma once

#include <napi.h>

#include <memory>
#include <vector>

#include "napi/tensor_handle.h"
#include "torch/op_registry.h"

namespace plm {

struct EnvState {
  Napi::FunctionReference torchError;  // lib/torch/errors.ts TorchError
  std::vector<std::unique_ptr<OpEntry>> ops;
  HandleTable handles;
  std::vector<c10::IValue> spareStack;  // reused by callOp
};

inline EnvState& envState(Napi::Env env) { return *env.GetInstanceData<EnvState>(); }

}  // namespace plm
