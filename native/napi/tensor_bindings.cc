// Tensor data in and out, and the properties JS reads on every tensor.
#include "napi/tensor_bindings.h"

#include <torch/csrc/autograd/function.h>

#include <cstdlib>
#include <cstring>

#include "napi/errors.h"
#include "napi/ivalue_convert.h"
#include "napi/tensor_handle.h"
#include "torch/tensor_bytes.h"
#include "torch/wrapped_scalar.h"

namespace plm {
namespace {

const at::Tensor& self(const Napi::CallbackInfo& info) { return tensorOf(info.Env(), info[0], "tensor"); }

at::ScalarType scalarTypeArg(Napi::Env env, const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) throwTypeError(env, std::string(what) + " must be a dtype code");
  const int64_t code = value.As<Napi::Number>().Int64Value();
  if (code < 0 || code >= static_cast<int64_t>(at::ScalarType::NumOptions)) {
    throwRangeError(env, std::string(what) + " is not a dtype code");
  }
  return static_cast<at::ScalarType>(code);
}

std::vector<int64_t> shapeArg(Napi::Env env, const Napi::Value& value) {
  if (!value.IsArray()) throwTypeError(env, "shape must be an array of integers");
  const Napi::Array array = value.As<Napi::Array>();
  std::vector<int64_t> shape(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const Napi::Value size = array.Get(i);
    if (!size.IsNumber()) throwTypeError(env, "shape must be an array of integers");
    const double d = size.As<Napi::Number>().DoubleValue();
    if (d < 0 || d != static_cast<double>(static_cast<int64_t>(d))) {
      throwRangeError(env, "shape sizes must be non-negative integers, got " + std::to_string(d));
    }
    shape[i] = static_cast<int64_t>(d);
  }
  return shape;
}

// fromBuffer(view, shape, sourceDtype, targetDtype, device?, requiresGrad?)
Napi::Value fromBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) throwTypeError(env, "data must be a TypedArray");
  const Napi::TypedArray view = info[0].As<Napi::TypedArray>();
  const auto* bytes = static_cast<const uint8_t*>(view.ArrayBuffer().Data()) + view.ByteOffset();
  std::optional<c10::Device> device;
  if (info[4].IsString()) device = c10::Device(info[4].As<Napi::String>().Utf8Value());
  return wrapTensor(env, tensorFromBytes(bytes, view.ByteLength(), shapeArg(env, info[1]),
                                         scalarTypeArg(env, info[2], "source dtype"),
                                         scalarTypeArg(env, info[3], "dtype"), device,
                                         info[5].IsBoolean() && info[5].As<Napi::Boolean>().Value()));
}

// toBuffer(tensor, readDtype?) → ArrayBuffer with the elements in row-major order.
Napi::Value toBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::optional<at::ScalarType> readType;
  if (info[1].IsNumber()) readType = scalarTypeArg(env, info[1], "read dtype");
  const at::Tensor data = readableCopy(self(info), readType);
  const size_t bytes = static_cast<size_t>(data.numel()) * data.element_size();
  // V8 aborts the process when an ArrayBuffer cannot be allocated; ask malloc first, which
  // says no (under a memory cap, or past what the machine has) without aborting.
  if (bytes > 0) {
    void* probe = std::malloc(bytes);
    if (probe == nullptr) {
      throw makeTorchError(env, "out of memory: reading back " + std::to_string(bytes) + " bytes (" +
                                    std::to_string(data.numel()) + " elements) does not fit in the memory available",
                           "TORCH_OOM");
    }
    std::free(probe);
  }
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, bytes);
  if (bytes > 0) std::memcpy(buffer.Data(), data.const_data_ptr(), bytes);
  return buffer;
}

Napi::Value shape(const Napi::CallbackInfo& info) {
  const at::Tensor& t = self(info);
  Napi::Array result = Napi::Array::New(info.Env(), t.dim());
  for (int64_t i = 0; i < t.dim(); ++i) result.Set(static_cast<uint32_t>(i), Napi::Number::New(info.Env(), static_cast<double>(t.size(i))));
  return result;
}

Napi::Value dtype(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int>(self(info).scalar_type()));
}

Napi::Value device(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), self(info).device().str());
}

Napi::Value numel(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(self(info).numel()));
}

Napi::Value dim(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(self(info).dim()));
}

Napi::Value item(const Napi::CallbackInfo& info) {
  const at::Tensor& t = self(info);
  if (t.numel() != 1) {
    throwRangeError(info.Env(), "item() needs a tensor with one element, this one has " + std::to_string(t.numel()));
  }
  const c10::Scalar value = t.item();
  if (value.isBoolean()) return Napi::Boolean::New(info.Env(), value.toBool());
  return Napi::Number::New(info.Env(), value.toDouble());
}

Napi::Value requiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), self(info).requires_grad());
}

Napi::Value setRequiresGrad(const Napi::CallbackInfo& info) {
  if (!info[1].IsBoolean()) throwTypeError(info.Env(), "requiresGrad must be a boolean");
  self(info).set_requires_grad(info[1].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

Napi::Value isLeaf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), self(info).is_leaf());
}

Napi::Value grad(const Napi::CallbackInfo& info) {
  return wrapTensor(info.Env(), self(info).grad());
}

// setGrad(tensor, grad | null)
Napi::Value setGrad(const Napi::CallbackInfo& info) {
  const at::Tensor& t = self(info);
  if (info[1].IsNull() || info[1].IsUndefined()) {
    t.mutable_grad() = at::Tensor();
    return info.Env().Undefined();
  }
  const at::Tensor& g = tensorOf(info.Env(), info[1], "grad");
  if (g.sizes() != t.sizes()) {
    throwRangeError(info.Env(), "grad of shape " + c10::str(g.sizes()) + " does not match the tensor's shape " + c10::str(t.sizes()));
  }
  if (g.scalar_type() != t.scalar_type() || g.device() != t.device()) {
    throwTypeError(info.Env(), "grad must have the tensor's dtype and device");
  }
  t.mutable_grad() = g;
  return info.Env().Undefined();
}

Napi::Value retainGrad(const Napi::CallbackInfo& info) {
  self(info).retain_grad();
  return info.Env().Undefined();
}

Napi::Value gradFn(const Napi::CallbackInfo& info) {
  const auto& fn = self(info).grad_fn();
  if (!fn) return info.Env().Null();
  return Napi::String::New(info.Env(), fn->name());
}

// setData(tensor, source): the tensor takes the source's data, dtype and device while
// keeping its identity (same handle, same autograd leaf), as PyTorch's `param.data = ...`.
Napi::Value setData(const Napi::CallbackInfo& info) {
  at::Tensor t = self(info);
  const at::Tensor& source = tensorOf(info.Env(), info[1], "source");
  t.set_data(source.detach());
  return info.Env().Undefined();
}

Napi::Value isContiguous(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), self(info).is_contiguous());
}

// wrappedScalar(value, device?, floating?): a number, boolean or bigint as the 0-dim tensor
// PyTorch makes of a Python scalar given for a Tensor argument (torch/wrapped_scalar.h): an
// integral number is an int as for every Scalar argument (numberToScalar), unless `floating`
// (a value read from a floating-point tensor, which PyTorch would pass as a Python float).
Napi::Value wrappedScalar(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::optional<c10::Scalar> scalar = numberToScalar(info[0]);
  if (!scalar && info[0].IsBigInt()) {
    bool lossless = false;
    const int64_t value = info[0].As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) throwRangeError(env, "the number does not fit in int64");
    scalar = c10::Scalar(value);
  }
  if (!scalar) throwTypeError(env, "expected a number, a boolean or a bigint");
  if (info[2].IsBoolean() && info[2].As<Napi::Boolean>().Value() && scalar->isIntegral(false)) {
    scalar = c10::Scalar(scalar->toDouble());
  }
  c10::Device device = at::kCPU;
  if (info[1].IsString()) device = c10::Device(info[1].As<Napi::String>().Utf8Value());
  return wrapTensor(env, wrappedScalarTensor(*scalar, device));
}

// The codes of the dtypes JS names, from the enum itself so the two never disagree.
Napi::Value dtypeCodes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object codes = Napi::Object::New(env);
  const std::pair<const char*, at::ScalarType> table[] = {
      {"float32", at::kFloat}, {"float64", at::kDouble}, {"float16", at::kHalf}, {"bfloat16", at::kBFloat16},
      {"int64", at::kLong},    {"int32", at::kInt},      {"int16", at::kShort}, {"int8", at::kChar},
      {"uint8", at::kByte},    {"bool", at::kBool},
  };
  for (const auto& [name, type] : table) codes.Set(name, Napi::Number::New(env, static_cast<int>(type)));
  return codes;
}

}  // namespace

void registerTensorBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("fromBuffer", Napi::Function::New<guarded<fromBuffer>>(env, "fromBuffer"));
  exports.Set("toBuffer", Napi::Function::New<guarded<toBuffer>>(env, "toBuffer"));
  exports.Set("shape", Napi::Function::New<guarded<shape>>(env, "shape"));
  exports.Set("dtype", Napi::Function::New<guarded<dtype>>(env, "dtype"));
  exports.Set("device", Napi::Function::New<guarded<device>>(env, "device"));
  exports.Set("numel", Napi::Function::New<guarded<numel>>(env, "numel"));
  exports.Set("dim", Napi::Function::New<guarded<dim>>(env, "dim"));
  exports.Set("item", Napi::Function::New<guarded<item>>(env, "item"));
  exports.Set("requiresGrad", Napi::Function::New<guarded<requiresGrad>>(env, "requiresGrad"));
  exports.Set("setRequiresGrad", Napi::Function::New<guarded<setRequiresGrad>>(env, "setRequiresGrad"));
  exports.Set("isLeaf", Napi::Function::New<guarded<isLeaf>>(env, "isLeaf"));
  exports.Set("grad", Napi::Function::New<guarded<grad>>(env, "grad"));
  exports.Set("setGrad", Napi::Function::New<guarded<setGrad>>(env, "setGrad"));
  exports.Set("retainGrad", Napi::Function::New<guarded<retainGrad>>(env, "retainGrad"));
  exports.Set("gradFn", Napi::Function::New<guarded<gradFn>>(env, "gradFn"));
  exports.Set("setData", Napi::Function::New<guarded<setData>>(env, "setData"));
  exports.Set("isContiguous", Napi::Function::New<guarded<isContiguous>>(env, "isContiguous"));
  exports.Set("wrappedScalar", Napi::Function::New<guarded<wrappedScalar>>(env, "wrappedScalar"));
  exports.Set("dtypeCodes", Napi::Function::New<guarded<dtypeCodes>>(env, "dtypeCodes"));
}

}  // namespace plm
