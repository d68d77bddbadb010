// The addon's entry: context-aware, so every worker_thread gets its own EnvState.
#include <napi.h>

#include "napi/autograd_bindings.h"
#include "napi/distributed_bindings.h"
#include "napi/env_state.h"
#include "napi/io_bindings.h"
#include "napi/op_bindings.h"
#include "napi/optim_bindings.h"
#include "napi/runtime_bindings.h"
#include "napi/tensor_bindings.h"
#include "napi/tensor_handle.h"
#include "torch/allocator_tuning.h"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  plm::tuneMallocForTraining();
  env.SetInstanceData(new plm::EnvState());
  plm::registerTensorHandle(env, exports);
  plm::registerTensorBindings(env, exports);
  plm::registerOpBindings(env, exports);
  plm::registerAutogradBindings(env, exports);
  plm::registerRuntimeBindings(env, exports);
  plm::registerOptimBindings(env, exports);
  plm::registerIoBindings(env, exports);
  plm::registerDistributedBindings(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(plm_torch, init)
