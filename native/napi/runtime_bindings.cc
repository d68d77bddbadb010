// Process-wide libtorch settings and facts: seeds, threads, CUDA, build information.
#include "napi/runtime_bindings.h"

#include "torch/allocator_tuning.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "napi/env_state.h"
#include "napi/errors.h"
#include "napi/tensor_handle.h"
#include "torch/runtime_info.h"

namespace plm {
namespace {

Napi::Value setErrorClass(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throwTypeError(info.Env(), "setErrorClass(): expected a constructor");
  envState(info.Env()).torchError = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value manualSeed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throwTypeError(env, "manualSeed(): seed must be a number");
  const double seed = info[0].As<Napi::Number>().DoubleValue();
  if (seed < 0 || seed != static_cast<double>(static_cast<uint64_t>(seed))) {
    throwRangeError(env, "manualSeed(): seed must be a non-negative integer");
  }
  // at::manual_seed seeds the CPU generator and, where present, every CUDA device's.
  at::manual_seed(static_cast<uint64_t>(seed));
  return env.Undefined();
}

Napi::Value getNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

Napi::Value setNumThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // Read as a double: Int32Value() wraps 2^32 + 1 to 1. The 1024 cap repeats lib/torch's bound.
  const double threads = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  if (!(threads >= 1 && threads <= 1024) || threads != static_cast<double>(static_cast<int>(threads))) {
    throwRangeError(env, "setNumThreads(): threads must be an integer from 1 to 1024");
  }
  at::set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

Napi::Value cudaIsAvailable(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::cuda::is_available());
}

Napi::Value cudaDeviceCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(torch::cuda::device_count()));
}

Napi::Value cudaSynchronize(const Napi::CallbackInfo& info) {
  if (!torch::cuda::is_available()) throw makeTorchError(info.Env(), "CUDA is not available", "TORCH_NO_CUDA");
  const int64_t device = info[0].IsNumber() ? info[0].As<Napi::Number>().Int64Value() : -1;
  torch::cuda::synchronize(device);
  return info.Env().Undefined();
}

Napi::Value runtime(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const RuntimeInfo r = runtimeInfo();
  Napi::Object out = Napi::Object::New(env);
  out.Set("version", r.version);
  out.Set("linkedRoot", r.linkedRoot);
  out.Set("torchCpuLibrary", r.torchCpuLibrary);
  out.Set("c10Library", r.c10Library);
  out.Set("cudaCompiled", r.cudaCompiled);
  out.Set("cudaAvailable", r.cudaAvailable);
  out.Set("cudaDeviceCount", r.cudaDeviceCount);
  out.Set("threads", r.threads);
  out.Set("interopThreads", r.interopThreads);
  out.Set("config", r.config);
  out.Set("parallel", r.parallel);
  out.Set("cxxAbi", r.cxxAbi);
  out.Set("mallocTuned", tuneMallocForTraining());
  return out;
}

// matmulGflops(dtype, device, n, seconds)
Napi::Value matmulGflopsBinding(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsString() || !info[2].IsNumber() || !info[3].IsNumber()) {
    throwTypeError(env, "matmulGflops(dtype, device, n, seconds)");
  }
  return Napi::Number::New(env, matmulGflops(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::String>().Utf8Value(),
                                             info[2].As<Napi::Number>().Int64Value(), info[3].As<Napi::Number>().DoubleValue()));
}

at::DeviceType autocastDevice(Napi::Env env, const Napi::Value& value) {
  const std::string device = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
  if (device == "cpu") return at::kCPU;
  if (device == "cuda") return at::kCUDA;
  throwTypeError(env, "autocast device must be 'cpu' or 'cuda', got '" + device + "'");
}

// setAutocast(device, enabled, dtypeCode) → [wasEnabled, previousDtypeCode]. Leaving the last
// autocast region clears libtorch's cache of casted weights, as torch.autocast's __exit__ does.
Napi::Value setAutocast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::DeviceType device = autocastDevice(env, info[0]);
  if (!info[1].IsBoolean() || !info[2].IsNumber()) throwTypeError(env, "setAutocast(device, enabled, dtype)");
  const bool enabled = info[1].As<Napi::Boolean>().Value();
  const auto dtype = static_cast<at::ScalarType>(info[2].As<Napi::Number>().Int32Value());
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  const bool was = at::autocast::is_autocast_enabled(device);
  const at::ScalarType previous = at::autocast::get_autocast_dtype(device);
  at::autocast::set_autocast_dtype(device, dtype);
  at::autocast::set_autocast_enabled(device, enabled);
#else
  const bool cpu = device == at::kCPU;
  const bool was = cpu ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
  const at::ScalarType previous = cpu ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
  if (cpu) {
    at::autocast::set_autocast_cpu_dtype(dtype);
    at::autocast::set_cpu_enabled(enabled);
  } else {
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
  }
#endif
  if (was && !enabled) at::autocast::clear_cache();
  Napi::Array result = Napi::Array::New(env, 2);
  result.Set(0u, Napi::Boolean::New(env, was));
  result.Set(1u, Napi::Number::New(env, static_cast<int>(previous)));
  return result;
}

// The CPU generator's state as a uint8 tensor, and back: for exact resume.
Napi::Value getRngState(const Napi::CallbackInfo& info) {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return wrapTensor(info.Env(), generator.get_state());
}

Napi::Value setRngState(const Napi::CallbackInfo& info) {
  const at::Tensor& state = tensorOf(info.Env(), info[0], "state");
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state);
  return info.Env().Undefined();
}

}  // namespace

void registerRuntimeBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("setErrorClass", Napi::Function::New<guarded<setErrorClass>>(env, "setErrorClass"));
  exports.Set("manualSeed", Napi::Function::New<guarded<manualSeed>>(env, "manualSeed"));
  exports.Set("getNumThreads", Napi::Function::New<guarded<getNumThreads>>(env, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New<guarded<setNumThreads>>(env, "setNumThreads"));
  exports.Set("cudaIsAvailable", Napi::Function::New<guarded<cudaIsAvailable>>(env, "cudaIsAvailable"));
  exports.Set("cudaDeviceCount", Napi::Function::New<guarded<cudaDeviceCount>>(env, "cudaDeviceCount"));
  exports.Set("cudaSynchronize", Napi::Function::New<guarded<cudaSynchronize>>(env, "cudaSynchronize"));
  exports.Set("runtime", Napi::Function::New<guarded<runtime>>(env, "runtime"));
  exports.Set("setAutocast", Napi::Function::New<guarded<setAutocast>>(env, "setAutocast"));
  exports.Set("getRngState", Napi::Function::New<guarded<getRngState>>(env, "getRngState"));
  exports.Set("setRngState", Napi::Function::New<guarded<setRngState>>(env, "setRngState"));
  exports.Set("matmulGflops", Napi::Function::New<guarded<matmulGflopsBinding>>(env, "matmulGflops"));
}

}  // namespace plm
