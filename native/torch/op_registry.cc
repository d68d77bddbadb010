#include "torch/op_registry.h"

#include <ATen/core/jit_type.h>

#include <stdexcept>

namespace plm {
namespace {

ArgKind scalarKind(const c10::TypePtr& type) {
  switch (type->kind()) {
    case c10::TypeKind::TensorType:
      return ArgKind::Tensor;
    case c10::TypeKind::NumberType:
      return ArgKind::Scalar;
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType:
      return ArgKind::Int;
    case c10::TypeKind::FloatType:
    case c10::TypeKind::SymFloatType:
      return ArgKind::Float;
    case c10::TypeKind::BoolType:
    case c10::TypeKind::SymBoolType:
      return ArgKind::Bool;
    case c10::TypeKind::StringType:
      return ArgKind::String;
    case c10::TypeKind::ScalarTypeType:
      return ArgKind::ScalarType;
    case c10::TypeKind::LayoutType:
      return ArgKind::Layout;
    case c10::TypeKind::MemoryFormatType:
      return ArgKind::MemoryFormat;
    case c10::TypeKind::DeviceObjType:
      return ArgKind::Device;
    case c10::TypeKind::GeneratorType:
      return ArgKind::Generator;
    default:
      return ArgKind::Unsupported;
  }
}

ArgKind listKind(const c10::TypePtr& element) {
  if (auto inner = element->cast<c10::OptionalType>()) {
    return inner->getElementType()->kind() == c10::TypeKind::TensorType ? ArgKind::OptionalTensorList
                                                                        : ArgKind::Unsupported;
  }
  switch (scalarKind(element)) {
    case ArgKind::Tensor:
      return ArgKind::TensorList;
    case ArgKind::Int:
      return ArgKind::IntList;
    case ArgKind::Float:
      return ArgKind::FloatList;
    case ArgKind::Bool:
      return ArgKind::BoolList;
    default:
      return ArgKind::Unsupported;
  }
}

}  // namespace

OpEntry describeOp(const std::string& name, const std::string& overload) {
  auto handle = c10::Dispatcher::singleton().findSchema({name, overload});
  if (!handle) {
    throw std::invalid_argument("no operator " + name + (overload.empty() ? "" : "." + overload));
  }
  const c10::FunctionSchema& schema = handle->schema();
  OpEntry entry{*handle, overload.empty() ? name : name + "." + overload, {}, schema.returns().size()};
  entry.args.reserve(schema.arguments().size());
  for (const c10::Argument& arg : schema.arguments()) {
    c10::TypePtr type = arg.real_type();
    bool optional = false;
    if (auto inner = type->cast<c10::OptionalType>()) {
      optional = true;
      type = inner->getElementType();
    }
    ArgKind kind = type->kind() == c10::TypeKind::ListType
                       ? listKind(type->expectRef<c10::ListType>().getElementType())
                       : scalarKind(type);
    std::optional<int64_t> fixedLength;
    if (arg.N()) fixedLength = static_cast<int64_t>(*arg.N());
    entry.args.push_back(ArgSpec{arg.name(), kind, optional, fixedLength, arg.default_value()});
  }
  return entry;
}

const char* argKindName(ArgKind kind) {
  switch (kind) {
    case ArgKind::Tensor: return "a Tensor";
    case ArgKind::TensorList: return "an array of Tensors";
    case ArgKind::OptionalTensorList: return "an array of Tensors or nulls";
    case ArgKind::Scalar: return "a number or boolean";
    case ArgKind::Int: return "an integer";
    case ArgKind::IntList: return "an array of integers";
    case ArgKind::Float: return "a number";
    case ArgKind::FloatList: return "an array of numbers";
    case ArgKind::Bool: return "a boolean";
    case ArgKind::BoolList: return "an array of booleans";
    case ArgKind::String: return "a string";
    case ArgKind::ScalarType: return "a dtype";
    case ArgKind::Layout: return "a layout";
    case ArgKind::MemoryFormat: return "a memory format";
    case ArgKind::Device: return "a device";
    case ArgKind::Generator: return "a generator (only the default is supported)";
    case ArgKind::Unsupported: return "a kind of value plm-torch does not bind";
  }
  return "?";
}

}  // namespace plm
