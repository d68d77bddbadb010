// Per-environment state: each main thread or worker_thread that loads the addon gets
// its own, so workers never share JS references or operator tables.
#pragma once

#include <napi.h>

#include <memory>
#include <vector>

#include "napi/tensor_handle.h"
#include "torch/distributed.h"
#include "torch/op_registry.h"

namespace plm {

struct EnvState {
  Napi::FunctionReference torchError;  // lib/torch/errors.ts TorchError
  std::vector<std::unique_ptr<OpEntry>> ops;
  HandleTable handles;
  std::vector<c10::IValue> spareStack;  // reused by callOp
  // Process groups and gradient buckets by id (null once destroyed); freed with the
  // environment, so a worker that exits leaves its group.
  std::vector<std::unique_ptr<GradientBuckets>> gradientBuckets;
  std::vector<std::shared_ptr<DistGroup>> groups;
};

inline EnvState& envState(Napi::Env env) { return *env.GetInstanceData<EnvState>(); }

}  // namespace plm
