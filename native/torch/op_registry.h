// Looks up ATen operators by schema name and describes their arguments in a form the
// binding layer can convert to quickly. Pure C++ over libtorch: no N-API here.
#pragma once

#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/ivalue.h>

#include <optional>
#include <string>
#include <vector>

namespace plm {

// What kind of value an operator argument takes; decided once per operator from its
// schema, so a call converts each argument with a switch instead of a type walk.
enum class ArgKind {
  Tensor,
  TensorList,
  OptionalTensorList,
  Scalar,
  Int,
  IntList,
  Float,
  FloatList,
  Bool,
  BoolList,
  String,
  ScalarType,
  Layout,
  MemoryFormat,
  Device,
  Generator,
  Unsupported,
};

struct ArgSpec {
  std::string name;
  ArgKind kind;
  bool optional;                          // `T?`: None allowed
  std::optional<int64_t> fixedLength;     // `int[2]`: a single int is repeated
  std::optional<c10::IValue> defaultValue;
};

struct OpEntry {
  c10::OperatorHandle handle;
  std::string name;  // "aten::add.Tensor", for messages
  std::vector<ArgSpec> args;
  size_t returnCount;
};

// Finds `aten::add` + overload `Tensor`; throws std::invalid_argument when none exists.
OpEntry describeOp(const std::string& name, const std::string& overload);

const char* argKindName(ArgKind kind);

}  // namespace plm
