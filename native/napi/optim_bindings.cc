// Optimizer steps and gradient norms: one native call over all of a group's parameters.
#include "napi/optim_bindings.h"

#include "napi/errors.h"
#include "napi/tensor_handle.h"
#include "torch/optimizers.h"

namespace plm {
namespace {

double number(Napi::Env env, const Napi::Object& options, const char* key) {
  const Napi::Value value = options.Get(key);
  if (!value.IsNumber()) throwTypeError(env, std::string("optimizer option ") + key + " must be a number");
  return value.As<Napi::Number>().DoubleValue();
}

bool boolean(const Napi::Object& options, const char* key) {
  const Napi::Value value = options.Get(key);
  return value.IsBoolean() && value.As<Napi::Boolean>().Value();
}

Napi::Object optionsArg(Napi::Env env, const Napi::Value& value) {
  if (!value.IsObject()) throwTypeError(env, "optimizer options must be an object");
  return value.As<Napi::Object>();
}

std::vector<int64_t> steps(Napi::Env env, const Napi::Value& value) {
  if (!value.IsArray()) throwTypeError(env, "steps must be an array of integers");
  const Napi::Array array = value.As<Napi::Array>();
  std::vector<int64_t> result(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) result[i] = array.Get(i).As<Napi::Number>().Int64Value();
  return result;
}

// adamwStep(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, steps, options)
Napi::Value adamw(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = optionsArg(env, info[6]);
  AdamWOptions options{number(env, o, "lr"), number(env, o, "beta1"), number(env, o, "beta2"), number(env, o, "eps"),
                       number(env, o, "weightDecay"), boolean(o, "amsgrad"), boolean(o, "maximize")};
  adamwStep(tensorsOf(env, info[0], "params"), tensorsOf(env, info[1], "grads"), tensorsOf(env, info[2], "expAvgs"),
            tensorsOf(env, info[3], "expAvgSqs"), tensorsOf(env, info[4], "maxExpAvgSqs"), steps(env, info[5]), options);
  return env.Undefined();
}

// sgdStep(params, grads, momentumBuffers (null where none yet), options) → buffers created now (null elsewhere)
Napi::Value sgd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = optionsArg(env, info[3]);
  SgdOptions options{number(env, o, "lr"), number(env, o, "momentum"), number(env, o, "dampening"),
                     number(env, o, "weightDecay"), boolean(o, "nesterov"), boolean(o, "maximize")};
  const auto before = tensorsOf(env, info[2], "momentumBuffers", true);
  const auto after = sgdStep(tensorsOf(env, info[0], "params"), tensorsOf(env, info[1], "grads"), before, options);
  Napi::Array created = Napi::Array::New(env, after.size());
  for (size_t i = 0; i < after.size(); ++i) {
    const bool isNew = after[i].defined() && (i >= before.size() || !before[i].defined());
    created.Set(static_cast<uint32_t>(i), isNew ? wrapTensor(env, after[i]) : env.Null());
  }
  return created;
}

// lambStep(params, grads, expAvgs, expAvgSqs, steps, options)
Napi::Value lamb(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = optionsArg(env, info[5]);
  LambOptions options{number(env, o, "lr"), number(env, o, "beta1"), number(env, o, "beta2"), number(env, o, "eps"),
                      number(env, o, "weightDecay"), boolean(o, "biasCorrection"), number(env, o, "gradScale"),
                      boolean(o, "trustRatio")};
  lambStep(tensorsOf(env, info[0], "params"), tensorsOf(env, info[1], "grads"), tensorsOf(env, info[2], "expAvgs"),
           tensorsOf(env, info[3], "expAvgSqs"), steps(env, info[4]), options);
  return env.Undefined();
}

// totalNorm(grads, normType)
Napi::Value norm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[1].IsNumber()) throwTypeError(env, "normType must be a number");
  return Napi::Number::New(env, totalNorm(tensorsOf(env, info[0], "grads"), info[1].As<Napi::Number>().DoubleValue()));
}

// clipGradNorm(grads, maxNorm, normType, errorIfNonfinite)
Napi::Value clip(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[1].IsNumber() || !info[2].IsNumber()) throwTypeError(env, "maxNorm and normType must be numbers");
  return Napi::Number::New(env, clipGradNorm(tensorsOf(env, info[0], "grads"), info[1].As<Napi::Number>().DoubleValue(),
                                             info[2].As<Napi::Number>().DoubleValue(), info[3].IsBoolean() && info[3].As<Napi::Boolean>().Value()));
}

}  // namespace

void registerOptimBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("adamwStep", Napi::Function::New<guarded<adamw>>(env, "adamwStep"));
  exports.Set("sgdStep", Napi::Function::New<guarded<sgd>>(env, "sgdStep"));
  exports.Set("lambStep", Napi::Function::New<guarded<lamb>>(env, "lambStep"));
  exports.Set("totalNorm", Napi::Function::New<guarded<norm>>(env, "totalNorm"));
  exports.Set("clipGradNorm", Napi::Function::New<guarded<clip>>(env, "clipGradNorm"));
}

}  // namespace plm
