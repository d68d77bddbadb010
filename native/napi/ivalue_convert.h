// Converts JS arguments to ATen IValues following an operator's schema, and results back.
#pragma once

#include <ATen/core/ivalue.h>
#include <napi.h>

#include "torch/op_registry.h"

namespace plm {

// Converts `value` for `spec`; undefined takes the schema's default (or None when
// optional). Throws TypeError/RangeError naming the argument and the operator.
c10::IValue toIValue(Napi::Env env, const Napi::Value& value, const ArgSpec& spec, const OpEntry& op);

// Tensors become fresh handles, tuples and lists become arrays, scalars numbers or booleans.
Napi::Value fromIValue(Napi::Env env, c10::IValue value);

}  // namespace plm
