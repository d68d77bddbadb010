// One error path for every native entry: libtorch and C++ exceptions become JS errors
// (TorchError with a code, or TypeError/RangeError), never an abort.
#pragma once

#include <napi.h>

#include <stdexcept>
#include <string>

namespace plm {

// Thrown by the binding layer for a tensor used after dispose().
struct DisposedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Rethrows the exception in flight as a JS exception. Call only from a catch block.
[[noreturn]] void rethrowAsJs(Napi::Env env);

Napi::Error makeTorchError(Napi::Env env, const std::string& message, const char* code);
[[noreturn]] void throwTypeError(Napi::Env env, const std::string& message);
[[noreturn]] void throwRangeError(Napi::Env env, const std::string& message);

// Wraps a binding so that every exception it raises reaches JS as an error.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (...) {
    rethrowAsJs(info.Env());
  }
}

}  // namespace plm
