// callOp: any ATen operator by schema, through libtorch's dispatcher (so autograd, autocast
// and device dispatch all apply). JS looks an operator up once and keeps its id.
#include "napi/op_bindings.h"

#include <ATen/core/stack.h>

#include "napi/env_state.h"
#include "napi/errors.h"
#include "napi/ivalue_convert.h"

namespace plm {
namespace {

// findOp('aten::add', 'Tensor') → id
Napi::Value findOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throwTypeError(env, "findOp(): name must be a string");
  const std::string overload = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  EnvState& state = envState(env);
  state.ops.push_back(std::make_unique<OpEntry>(describeOp(info[0].As<Napi::String>().Utf8Value(), overload)));
  return Napi::Number::New(env, static_cast<double>(state.ops.size() - 1));
}

const OpEntry& opById(Napi::Env env, const Napi::Value& id) {
  const EnvState& state = envState(env);
  if (!id.IsNumber()) throwTypeError(env, "callOp(): the operator id must be a number");
  const int64_t index = id.As<Napi::Number>().Int64Value();
  if (index < 0 || static_cast<size_t>(index) >= state.ops.size()) throwRangeError(env, "callOp(): no operator with this id");
  return *state.ops[static_cast<size_t>(index)];
}

// callOp(id, ...args): args in schema order, keyword-only ones included.
Napi::Value callOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const OpEntry& op = opById(env, info[0]);
  const size_t given = info.Length() - 1;
  if (given > op.args.size()) {
    throwTypeError(env, op.name + "() takes " + std::to_string(op.args.size()) + " arguments, got " + std::to_string(given));
  }
  // Borrow the environment's spare stack so a call allocates no vector; a nested call (a
  // getter on an argument array running JS) simply finds none and makes its own.
  EnvState& state = envState(env);
  torch::jit::Stack stack;
  stack.swap(state.spareStack);
  struct ReturnStack {
    torch::jit::Stack& stack;
    EnvState& state;
    ~ReturnStack() {
      stack.clear();
      if (state.spareStack.capacity() < stack.capacity()) state.spareStack.swap(stack);
    }
  } giveBack{stack, state};
  stack.reserve(op.args.size());
  for (size_t i = 0; i < op.args.size(); ++i) {
    stack.push_back(toIValue(env, i < given ? info[i + 1] : env.Undefined(), op.args[i], op));
  }
  op.handle.callBoxed(stack);
  if (op.returnCount == 1) return fromIValue(env, std::move(stack[0]));
  if (op.returnCount == 0) return env.Undefined();
  Napi::Array results = Napi::Array::New(env, stack.size());
  for (size_t i = 0; i < stack.size(); ++i) results.Set(static_cast<uint32_t>(i), fromIValue(env, std::move(stack[i])));
  return results;
}

Napi::Value opSchema(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), c10::toString(opById(info.Env(), info[0]).handle.schema()));
}

}  // namespace

void registerOpBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("findOp", Napi::Function::New<guarded<findOp>>(env, "findOp"));
  exports.Set("callOp", Napi::Function::New<guarded<callOp>>(env, "callOp"));
  exports.Set("opSchema", Napi::Function::New<guarded<opSchema>>(env, "opSchema"));
}

}  // namespace plm
