// backward, autograd.grad and grad mode.
#include "napi/autograd_bindings.h"

#include <torch/csrc/autograd/autograd.h>
#include <ATen/core/grad_mode.h>

#include "napi/errors.h"
#include "napi/tensor_handle.h"
#include "torch/fast_dropout.h"

namespace plm {
namespace {

bool flag(const Napi::Value& value) { return value.IsBoolean() && value.As<Napi::Boolean>().Value(); }

// backward(tensors, grads, retainGraph, createGraph)
Napi::Value backward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto tensors = tensorsOf(env, info[0], "tensors");
  const auto grads = tensorsOf(env, info[1], "gradient", true);
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!tensors[i].requires_grad()) {
      throw makeTorchError(env, "backward(): the tensor does not require grad and has no grad_fn", "TORCH_ERROR");
    }
    if ((i >= grads.size() || !grads[i].defined()) && tensors[i].numel() != 1) {
      throw makeTorchError(env, "backward(): a gradient must be given for a non-scalar output of shape " + c10::str(tensors[i].sizes()), "TORCH_ERROR");
    }
  }
  const bool createGraph = flag(info[3]);
  std::optional<bool> retainGraph;
  if (info[2].IsBoolean()) retainGraph = flag(info[2]);
  torch::autograd::backward(tensors, grads, retainGraph, createGraph);
  return env.Undefined();
}

// grad(outputs, inputs, gradOutputs, retainGraph, createGraph, allowUnused) → (Tensor|null)[]
Napi::Value grad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto outputs = tensorsOf(env, info[0], "outputs");
  const auto inputs = tensorsOf(env, info[1], "inputs");
  const auto gradOutputs = tensorsOf(env, info[2], "gradOutputs", true);
  std::optional<bool> retainGraph;
  if (info[3].IsBoolean()) retainGraph = flag(info[3]);
  const auto grads = torch::autograd::grad(outputs, inputs, gradOutputs, retainGraph, flag(info[4]), flag(info[5]));
  Napi::Array result = Napi::Array::New(env, grads.size());
  for (size_t i = 0; i < grads.size(); ++i) result.Set(static_cast<uint32_t>(i), wrapTensor(env, grads[i]));
  return result;
}

// setGradEnabled(bool) → the previous mode
Napi::Value setGradEnabled(const Napi::CallbackInfo& info) {
  if (!info[0].IsBoolean()) throwTypeError(info.Env(), "setGradEnabled(): enabled must be a boolean");
  const bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(info[0].As<Napi::Boolean>().Value());
  return Napi::Boolean::New(info.Env(), previous);
}

Napi::Value isGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::GradMode::is_enabled());
}

// fastDropout(tensor, p, train) → tensor (see native/torch/fast_dropout.h)
Napi::Value dropout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[1].IsNumber()) throwTypeError(env, "dropout(): p must be a number");
  return wrapTensor(env, fastDropout(tensorOf(env, info[0], "input"), info[1].As<Napi::Number>().DoubleValue(), info[2].ToBoolean().Value()));
}

}  // namespace

void registerAutogradBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("backward", Napi::Function::New<guarded<backward>>(env, "backward"));
  exports.Set("fastDropout", Napi::Function::New<guarded<dropout>>(env, "fastDropout"));
  exports.Set("autogradGrad", Napi::Function::New<guarded<grad>>(env, "autogradGrad"));
  exports.Set("setGradEnabled", Napi::Function::New<guarded<setGradEnabled>>(env, "setGradEnabled"));
  exports.Set("isGradEnabled", Napi::Function::New<guarded<isGradEnabled>>(env, "isGradEnabled"));
}

}  // namespace plm
