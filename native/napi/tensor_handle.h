// Tensors cross into JS as numeric handles into a per-environment table of at::Tensor.
// A handle is a plain number (slot index and a generation), so creating one allocates no
// V8 object and needs no per-object weak reference; the JS side attaches the GC backstop.
// A stale handle (its slot disposed, or reused since) is detected by the generation.
#pragma once

#include <ATen/ATen.h>
#include <napi.h>

#include <cstdint>
#include <vector>

namespace plm {

class HandleTable {
 public:
  double add(at::Tensor tensor);
  // The live tensor of `handle`, or nullptr when it was disposed or never existed.
  const at::Tensor* find(double handle) const;
  // Frees the tensor now. Returns its accounted bytes (0 when already gone).
  int64_t release(double handle);
  // Marks a live handle as owned by one JS Tensor: 0 when it was free to claim, 1 when a
  // Tensor owns it already, 2 when no live tensor has it (disposed, never issued, another
  // thread's). A handle copied from elsewhere can then never alias a tensor owned here.
  int claim(double handle);
  int64_t liveCount() const { return live_; }
  template <typename F>
  void forEachLive(F&& visit) const {
    for (const Slot& slot : slots_) if (slot.tensor.defined()) visit(slot.tensor);
  }

 private:
  struct Slot {
    at::Tensor tensor;
    uint32_t generation = 0;
    int64_t bytes = 0;
    bool claimed = false;
  };
  static constexpr double kGenerationScale = 4294967296.0;  // 2^32
  static constexpr uint32_t kGenerationLimit = 1u << 20;    // keeps handles below 2^52
  Slot* slotOf(double handle, uint32_t* index);

  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  int64_t live_ = 0;
};

// A fresh handle for `tensor` (undefined tensors become null).
Napi::Value wrapTensor(Napi::Env env, at::Tensor tensor);

// The live tensor behind a number `value`, or nullptr when that handle was disposed.
const at::Tensor* findTensor(Napi::Env env, const Napi::Value& value);

// The live tensor behind `value`: TypeError when it is no handle, DISPOSED when disposed.
const at::Tensor& tensorOf(Napi::Env env, const Napi::Value& value, const char* what);

// The tensors of a JS array of handles; with allowNull, null/undefined become undefined tensors.
std::vector<at::Tensor> tensorsOf(Napi::Env env, const Napi::Value& value, const char* what, bool allowNull = false);

void registerTensorHandle(Napi::Env env, Napi::Object exports);

}  // namespace plm
