#include "napi/tensor_handle.h"

#include <cmath>
#include <string>
#include <unordered_set>

#include "napi/env_state.h"
#include "napi/errors.h"

namespace plm {

double HandleTable::add(at::Tensor tensor) {
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  slot.bytes = static_cast<int64_t>(tensor.numel() * tensor.element_size());
  slot.claimed = false;
  slot.tensor = std::move(tensor);
  ++live_;
  return static_cast<double>(slot.generation) * kGenerationScale + index;
}

HandleTable::Slot* HandleTable::slotOf(double handle, uint32_t* index) {
  if (!(handle >= 0) || handle >= kGenerationScale * kGenerationLimit || std::trunc(handle) != handle) return nullptr;
  const auto generation = static_cast<uint32_t>(handle / kGenerationScale);
  *index = static_cast<uint32_t>(handle - generation * kGenerationScale);
  if (*index >= slots_.size()) return nullptr;
  Slot& slot = slots_[*index];
  if (slot.generation != generation || !slot.tensor.defined()) return nullptr;
  return &slot;
}

const at::Tensor* HandleTable::find(double handle) const {
  uint32_t index;
  const Slot* slot = const_cast<HandleTable*>(this)->slotOf(handle, &index);
  return slot ? &slot->tensor : nullptr;
}

int HandleTable::claim(double handle) {
  uint32_t index;
  Slot* slot = slotOf(handle, &index);
  if (!slot) return 2;
  if (slot->claimed) return 1;
  slot->claimed = true;
  return 0;
}

int64_t HandleTable::release(double handle) {
  uint32_t index;
  Slot* slot = slotOf(handle, &index);
  if (!slot) return 0;
  const int64_t bytes = slot->bytes;
  slot->tensor = at::Tensor();
  slot->bytes = 0;
  slot->generation = (slot->generation + 1) % kGenerationLimit;
  free_.push_back(index);
  --live_;
  return bytes;
}

Napi::Value wrapTensor(Napi::Env env, at::Tensor tensor) {
  if (!tensor.defined()) return env.Null();
  const int64_t bytes = static_cast<int64_t>(tensor.numel() * tensor.element_size());
  const double handle = envState(env).handles.add(std::move(tensor));
  // Tell V8 what this small number stands for, so the GC backstop sees big tensors.
  if (bytes >= 4096) Napi::MemoryManagement::AdjustExternalMemory(env, bytes);
  return Napi::Number::New(env, handle);
}

const at::Tensor* findTensor(Napi::Env env, const Napi::Value& value) {
  return envState(env).handles.find(value.As<Napi::Number>().DoubleValue());
}

const at::Tensor& tensorOf(Napi::Env env, const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) throwTypeError(env, std::string(what) + " must be a Tensor");
  const at::Tensor* tensor = envState(env).handles.find(value.As<Napi::Number>().DoubleValue());
  if (!tensor) throw DisposedError(std::string(what) + " was disposed and can no longer be used");
  return *tensor;
}

std::vector<at::Tensor> tensorsOf(Napi::Env env, const Napi::Value& value, const char* what, bool allowNull) {
  if (!value.IsArray()) throwTypeError(env, std::string(what) + " must be an array of Tensors");
  const Napi::Array array = value.As<Napi::Array>();
  std::vector<at::Tensor> tensors;
  tensors.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const Napi::Value element = array.Get(i);
    if (allowNull && (element.IsNull() || element.IsUndefined())) tensors.emplace_back();
    else tensors.push_back(tensorOf(env, element, what));
  }
  return tensors;
}

namespace {

// dispose(handle): idempotent, so the GC backstop may run after an explicit dispose.
Napi::Value dispose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throwTypeError(env, "dispose(): expected a tensor handle");
  const int64_t bytes = envState(env).handles.release(info[0].As<Napi::Number>().DoubleValue());
  if (bytes >= 4096) Napi::MemoryManagement::AdjustExternalMemory(env, -bytes);
  return env.Undefined();
}

Napi::Value claimHandle(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) return Napi::Number::New(info.Env(), 2);
  return Napi::Number::New(info.Env(), envState(info.Env()).handles.claim(info[0].As<Napi::Number>().DoubleValue()));
}

Napi::Value isDisposed(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) throwTypeError(info.Env(), "isDisposed(): expected a tensor handle");
  return Napi::Boolean::New(info.Env(), envState(info.Env()).handles.find(info[0].As<Napi::Number>().DoubleValue()) == nullptr);
}

// Live tensors and the bytes of their distinct storages (views share one).
Napi::Value memory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const HandleTable& handles = envState(env).handles;
  std::unordered_set<const void*> storages;
  int64_t bytes = 0;
  handles.forEachLive([&](const at::Tensor& t) {
    if (!t.has_storage()) return;
    if (storages.insert(t.storage().unsafeGetStorageImpl()).second) bytes += static_cast<int64_t>(t.storage().nbytes());
  });
  Napi::Object result = Napi::Object::New(env);
  result.Set("tensors", Napi::Number::New(env, static_cast<double>(handles.liveCount())));
  result.Set("bytes", Napi::Number::New(env, static_cast<double>(bytes)));
  return result;
}

}  // namespace

void registerTensorHandle(Napi::Env env, Napi::Object exports) {
  exports.Set("dispose", Napi::Function::New<guarded<dispose>>(env, "dispose"));
  exports.Set("isDisposed", Napi::Function::New<guarded<isDisposed>>(env, "isDisposed"));
  exports.Set("claimHandle", Napi::Function::New<guarded<claimHandle>>(env, "claimHandle"));
  exports.Set("memory", Napi::Function::New<guarded<memory>>(env, "memory"));
}

}  // namespace plm
