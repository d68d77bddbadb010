#include "napi/ivalue_convert.h"

#include <c10/core/Layout.h>
#include <c10/core/MemoryFormat.h>

#include <cmath>
#include <string>

#include "napi/errors.h"
#include "napi/tensor_handle.h"

namespace plm {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;

[[noreturn]] void wrongType(Napi::Env env, const ArgSpec& spec, const OpEntry& op, const Napi::Value& value) {
  static const char* const typeNames[] = {"undefined", "null",   "boolean", "number",   "string",
                                          "symbol",    "object", "function", "external", "bigint"};
  const char* got = value.IsArray() ? "array" : typeNames[value.Type()];
  throwTypeError(env, op.name + "(): argument '" + spec.name + "' must be " + argKindName(spec.kind) + ", got " + got);
}

int64_t toInt(Napi::Env env, const Napi::Value& value, const ArgSpec& spec, const OpEntry& op) {
  if (value.IsBigInt()) {
    bool lossless = false;
    const int64_t result = value.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) throwRangeError(env, op.name + "(): argument '" + spec.name + "' does not fit in int64");
    return result;
  }
  if (!value.IsNumber()) wrongType(env, spec, op, value);
  const double d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::trunc(d) != d) {
    throwTypeError(env, op.name + "(): argument '" + spec.name + "' must be an integer, got " + std::to_string(d));
  }
  if (std::fabs(d) > kMaxSafeInteger) {
    throwRangeError(env, op.name + "(): argument '" + spec.name + "' is beyond the safe integer range");
  }
  return static_cast<int64_t>(d);
}

c10::Scalar toScalar(Napi::Env env, const Napi::Value& value, const ArgSpec& spec, const OpEntry& op) {
  if (std::optional<c10::Scalar> scalar = numberToScalar(value)) return *scalar;
  if (value.IsBigInt()) return c10::Scalar(toInt(env, value, spec, op));
  wrongType(env, spec, op, value);
}

std::vector<int64_t> toIntList(Napi::Env env, const Napi::Value& value, const ArgSpec& spec, const OpEntry& op) {
  if (value.IsNumber() || value.IsBigInt()) {
    // `int[2] stride=1` and `int[1] dim` accept a single int, as in Python.
    return std::vector<int64_t>(static_cast<size_t>(spec.fixedLength.value_or(1)), toInt(env, value, spec, op));
  }
  if (!value.IsArray()) wrongType(env, spec, op, value);
  const Napi::Array array = value.As<Napi::Array>();
  std::vector<int64_t> result(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) result[i] = toInt(env, array.Get(i), spec, op);
  return result;
}

Napi::Array arrayArg(Napi::Env env, const Napi::Value& value, const ArgSpec& spec, const OpEntry& op) {
  if (!value.IsArray()) wrongType(env, spec, op, value);
  return value.As<Napi::Array>();
}

std::string argLabel(const ArgSpec& spec, const OpEntry& op) {
  return op.name + "(): argument '" + spec.name + "'";
}

}  // namespace

std::optional<c10::Scalar> numberToScalar(const Napi::Value& value) {
  if (value.IsNumber()) {
    const double d = value.As<Napi::Number>().DoubleValue();
    // Integral numbers act as Python ints do: they keep integer tensors integral.
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= kMaxSafeInteger) {
      return c10::Scalar(static_cast<int64_t>(d));
    }
    return c10::Scalar(d);
  }
  if (value.IsBoolean()) return c10::Scalar(value.As<Napi::Boolean>().Value());
  return std::nullopt;
}

c10::IValue toIValue(Napi::Env env, const Napi::Value& value, const ArgSpec& spec, const OpEntry& op) {
  // One type query per argument: this runs for every argument of every op.
  const napi_valuetype type = value.Type();
  if (type == napi_undefined || type == napi_null) {
    if (type == napi_undefined && spec.defaultValue) return *spec.defaultValue;
    if (spec.optional) return c10::IValue();
    throwTypeError(env, op.name + "(): missing argument '" + spec.name + "' (" + argKindName(spec.kind) + ")");
  }
  switch (spec.kind) {
    case ArgKind::Tensor: {
      if (type != napi_number) wrongType(env, spec, op, value);
      const at::Tensor* tensor = findTensor(env, value);
      if (!tensor) throw DisposedError(argLabel(spec, op) + " was disposed and can no longer be used");
      return *tensor;
    }
    case ArgKind::TensorList: {
      const Napi::Array array = arrayArg(env, value, spec, op);
      c10::List<at::Tensor> list;
      list.reserve(array.Length());
      const std::string label = argLabel(spec, op) + " element";
      for (uint32_t i = 0; i < array.Length(); ++i) list.push_back(tensorOf(env, array.Get(i), label.c_str()));
      return list;
    }
    case ArgKind::OptionalTensorList: {
      const Napi::Array array = arrayArg(env, value, spec, op);
      c10::List<std::optional<at::Tensor>> list;
      list.reserve(array.Length());
      const std::string label = argLabel(spec, op) + " element";
      for (uint32_t i = 0; i < array.Length(); ++i) {
        const Napi::Value element = array.Get(i);
        if (element.IsNull() || element.IsUndefined()) list.push_back(std::nullopt);
        else list.push_back(tensorOf(env, element, label.c_str()));
      }
      return list;
    }
    case ArgKind::Scalar:
      return toScalar(env, value, spec, op);
    case ArgKind::Int:
    case ArgKind::ScalarType:
    case ArgKind::Layout:
    case ArgKind::MemoryFormat:
      // Enums travel as their integer codes (lib/torch/dtype.ts reads them from the addon).
      return toInt(env, value, spec, op);
    case ArgKind::IntList:
      return c10::IValue(toIntList(env, value, spec, op));
    case ArgKind::Float:
      if (!value.IsNumber()) wrongType(env, spec, op, value);
      return value.As<Napi::Number>().DoubleValue();
    case ArgKind::FloatList: {
      if (value.IsNumber()) return c10::IValue(std::vector<double>{value.As<Napi::Number>().DoubleValue()});
      const Napi::Array array = arrayArg(env, value, spec, op);
      std::vector<double> list(array.Length());
      for (uint32_t i = 0; i < array.Length(); ++i) {
        const Napi::Value element = array.Get(i);
        if (!element.IsNumber()) wrongType(env, spec, op, element);
        list[i] = element.As<Napi::Number>().DoubleValue();
      }
      return c10::IValue(list);
    }
    case ArgKind::Bool:
      if (!value.IsBoolean()) wrongType(env, spec, op, value);
      return value.As<Napi::Boolean>().Value();
    case ArgKind::BoolList: {
      const Napi::Array array = arrayArg(env, value, spec, op);
      c10::List<bool> list;
      for (uint32_t i = 0; i < array.Length(); ++i) {
        const Napi::Value element = array.Get(i);
        if (!element.IsBoolean()) wrongType(env, spec, op, element);
        list.push_back(element.As<Napi::Boolean>().Value());
      }
      return list;
    }
    case ArgKind::String:
      if (!value.IsString()) wrongType(env, spec, op, value);
      return value.As<Napi::String>().Utf8Value();
    case ArgKind::Device:
      if (!value.IsString()) wrongType(env, spec, op, value);
      try {
        return c10::Device(value.As<Napi::String>().Utf8Value());
      } catch (const c10::Error&) {
        throwTypeError(env, argLabel(spec, op) + " is not a device: '" + value.As<Napi::String>().Utf8Value() +
                                "' (use 'cpu', 'cuda' or 'cuda:N')");
      }
    case ArgKind::Generator:
    case ArgKind::Unsupported:
      break;
  }
  wrongType(env, spec, op, value);
}

Napi::Value fromIValue(Napi::Env env, c10::IValue value) {
  if (value.isTensor()) return wrapTensor(env, std::move(value).toTensor());
  if (value.isNone()) return env.Undefined();
  if (value.isInt()) return Napi::Number::New(env, static_cast<double>(value.toInt()));
  if (value.isDouble()) return Napi::Number::New(env, value.toDouble());
  if (value.isBool()) return Napi::Boolean::New(env, value.toBool());
  if (value.isString()) return Napi::String::New(env, value.toStringRef());
  if (value.isScalar()) {
    const c10::Scalar s = value.toScalar();
    if (s.isBoolean()) return Napi::Boolean::New(env, s.toBool());
    return Napi::Number::New(env, s.toDouble());
  }
  if (value.isTuple() || value.isList()) {
    std::vector<c10::IValue> elements;
    if (value.isTuple()) {
      const auto& tuple = value.toTupleRef().elements();
      elements.assign(tuple.begin(), tuple.end());
    } else {
      elements = value.toListRef().vec();
    }
    Napi::Array array = Napi::Array::New(env, elements.size());
    for (size_t i = 0; i < elements.size(); ++i) array.Set(static_cast<uint32_t>(i), fromIValue(env, std::move(elements[i])));
    return array;
  }
  throw std::runtime_error("an operator returned a " + value.tagKind() + ", which plm-torch does not convert");
}

}  // namespace plm
