// Converts JS arguments to ATen IValues following an operator's schema, and results back.
#pragma once

#include <ATen/core/ivalue.h>
#include <napi.h>

#include <optional>

#include "torch/op_registry.h"

namespace plm {

// Converts `value` for `spec`; undefined takes the schema's default (or None when
// optional). Throws TypeError/RangeError naming the argument and the operator.
c10::IValue toIValue(Napi::Env env, const Napi::Value& value, const ArgSpec& spec, const OpEntry& op);

// A JS number or boolean as the c10::Scalar that PyTorch makes of a Python scalar; nullopt
// for any other value. JS has one number type and cannot tell 2.0 from 2, so an integral
// number (within 2^53) is an int, as a Python int, and keeps integer tensors integral
// (int64 tensor + 2 is int64); other numbers (2.5, NaN, ±Infinity, integers beyond 2^53) are
// doubles, booleans bools. Every Scalar argument of every operator goes through this.
std::optional<c10::Scalar> numberToScalar(const Napi::Value& value);

// Tensors become fresh handles, tuples and lists become arrays, scalars numbers or booleans.
Napi::Value fromIValue(Napi::Env env, c10::IValue value);

}  // namespace plm
