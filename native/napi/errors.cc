#include "napi/errors.h"

#include <c10/util/Exception.h>

#include <cstdlib>
#include <new>

#include "napi/env_state.h"

namespace plm {
namespace {

bool debugMessages() {
  static const bool debug = [] {
    const char* flag = std::getenv("PLM_TORCH_DEBUG");
    return flag != nullptr && std::string(flag) == "1";
  }();
  return debug;
}

std::string torchMessage(const c10::Error& error) {
  return debugMessages() ? error.what() : error.what_without_backtrace();
}

Napi::Error withCode(Napi::Error error, const char* code) {
  error.Set("code", Napi::String::New(error.Env(), code));
  return error;
}

}  // namespace

Napi::Error makeTorchError(Napi::Env env, const std::string& message, const char* code) {
  EnvState& state = envState(env);
  if (state.torchError.IsEmpty()) {
    return withCode(Napi::Error::New(env, message), code);
  }
  Napi::Value error = state.torchError.New({Napi::String::New(env, message), Napi::String::New(env, code)});
  return Napi::Error(env, error);
}

void throwTypeError(Napi::Env env, const std::string& message) {
  throw withCode(Napi::TypeError::New(env, message), "ERR_INVALID_ARG_TYPE");
}

void throwRangeError(Napi::Env env, const std::string& message) {
  throw withCode(Napi::RangeError::New(env, message), "ERR_OUT_OF_RANGE");
}

void rethrowAsJs(Napi::Env env) {
  try {
    throw;
  } catch (const Napi::Error&) {
    throw;
  } catch (const DisposedError& e) {
    throw makeTorchError(env, e.what(), "DISPOSED");
  } catch (const c10::OutOfMemoryError& e) {
    throw makeTorchError(env, torchMessage(e), "TORCH_OOM");
  } catch (const c10::IndexError& e) {
    throw withCode(Napi::RangeError::New(env, torchMessage(e)), "TORCH_INDEX_ERROR");
  } catch (const c10::TypeError& e) {
    throw withCode(Napi::TypeError::New(env, torchMessage(e)), "TORCH_TYPE_ERROR");
  } catch (const c10::NotImplementedError& e) {
    throw makeTorchError(env, torchMessage(e), "TORCH_NOT_IMPLEMENTED");
  } catch (const c10::Error& e) {
    // The CPU allocator reports a failed allocation through TORCH_CHECK, not OutOfMemoryError.
    const std::string message = e.what_without_backtrace();
    const std::string cpuOom = "DefaultCPUAllocator: can't allocate memory";
    const size_t at = message.find(cpuOom);
    if (at != std::string::npos) {
      throw makeTorchError(env, "out of memory (CPU): " + message.substr(at + cpuOom.size() + 2), "TORCH_OOM");
    }
    throw makeTorchError(env, torchMessage(e), "TORCH_ERROR");
  } catch (const std::bad_alloc&) {
    throw makeTorchError(env, "out of memory", "TORCH_OOM");
  } catch (const std::invalid_argument& e) {
    throw withCode(Napi::TypeError::New(env, e.what()), "ERR_INVALID_ARG_VALUE");
  } catch (const std::length_error& e) {
    throw withCode(Napi::RangeError::New(env, e.what()), "ERR_OUT_OF_RANGE");
  } catch (const std::exception& e) {
    throw makeTorchError(env, e.what(), "NATIVE_ERROR");
  } catch (...) {
    throw makeTorchError(env, "unknown native exception", "NATIVE_ERROR");
  }
}

}  // namespace plm
