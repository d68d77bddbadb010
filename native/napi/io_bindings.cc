// File io for weights: synchronous forms and Promise forms that do the reading and writing
// on libuv's thread pool, so a big checkpoint never stalls the event loop.
#include "napi/io_bindings.h"

#include <exception>
#include <functional>

#include "napi/errors.h"
#include "napi/tensor_handle.h"
#include "torch/tensor_file.h"

namespace plm {
namespace {

std::string stringArg(Napi::Env env, const Napi::Value& value, const char* what) {
  if (!value.IsString()) throwTypeError(env, std::string(what) + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

// slices: [{ offset, length, shape, dtype }]
std::vector<FileSlice> slicesArg(Napi::Env env, const Napi::Value& value) {
  if (!value.IsArray()) throwTypeError(env, "slices must be an array");
  const Napi::Array array = value.As<Napi::Array>();
  std::vector<FileSlice> slices;
  slices.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const Napi::Object s = array.Get(i).As<Napi::Object>();
    FileSlice slice;
    slice.offset = static_cast<uint64_t>(s.Get("offset").As<Napi::Number>().Int64Value());
    slice.length = static_cast<uint64_t>(s.Get("length").As<Napi::Number>().Int64Value());
    const Napi::Array shape = s.Get("shape").As<Napi::Array>();
    for (uint32_t d = 0; d < shape.Length(); ++d) slice.shape.push_back(shape.Get(d).As<Napi::Number>().Int64Value());
    slice.dtype = static_cast<at::ScalarType>(s.Get("dtype").As<Napi::Number>().Int32Value());
    slices.push_back(std::move(slice));
  }
  return slices;
}

Napi::Array wrapAll(Napi::Env env, std::vector<at::Tensor> tensors) {
  Napi::Array result = Napi::Array::New(env, tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) result.Set(static_cast<uint32_t>(i), wrapTensor(env, std::move(tensors[i])));
  return result;
}

// Runs `work` on the thread pool; resolves with `finish(env)` on the JS thread, or rejects with
// the same error the synchronous form would throw.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, std::function<void()> work, std::function<Napi::Value(Napi::Env)> finish)
      : Napi::AsyncWorker(env, "plm-torch:io"), deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)), finish_(std::move(finish)) {}

  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      work_();
    } catch (...) {
      error_ = std::current_exception();
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    try {
      if (error_) std::rethrow_exception(error_);
      deferred_.Resolve(finish_(env));
    } catch (...) {
      try {
        rethrowAsJs(env);
      } catch (const Napi::Error& e) {
        deferred_.Reject(e.Value());
      }
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::function<void()> work_;
  std::function<Napi::Value(Napi::Env)> finish_;
  std::exception_ptr error_;
};

// readTensors(path, slices) → handles
Napi::Value readTensors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return wrapAll(env, readTensorsFromFile(stringArg(env, info[0], "path"), slicesArg(env, info[1])));
}

Napi::Value readTensorsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto path = stringArg(env, info[0], "path");
  auto slices = slicesArg(env, info[1]);
  auto result = std::make_shared<std::vector<at::Tensor>>();
  auto* worker = new PromiseWorker(
      env, [=] { *result = readTensorsFromFile(path, slices); },
      [=](Napi::Env e) -> Napi::Value { return wrapAll(e, std::move(*result)); });
  worker->Queue();
  return worker->promise();
}

std::string headerArg(Napi::Env env, const Napi::Value& value) {
  if (!value.IsBuffer()) throwTypeError(env, "header must be a Buffer");
  const auto buffer = value.As<Napi::Buffer<char>>();
  return std::string(buffer.Data(), buffer.Length());
}

// writeTensors(path, headerBuffer, tensors)
Napi::Value writeTensors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  writeTensorsToFile(stringArg(env, info[0], "path"), headerArg(env, info[1]), tensorsOf(env, info[2], "tensors"));
  return env.Undefined();
}

Napi::Value writeTensorsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto path = stringArg(env, info[0], "path");
  auto header = headerArg(env, info[1]);
  // The worker holds its own references, so disposing the JS handles meanwhile is safe.
  auto tensors = tensorsOf(env, info[2], "tensors");
  auto* worker = new PromiseWorker(
      env, [=] { writeTensorsToFile(path, header, tensors); }, [](Napi::Env e) -> Napi::Value { return e.Undefined(); });
  worker->Queue();
  return worker->promise();
}

// loadPickle(path) → [names, handles]
Napi::Value loadPickle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto entries = loadPickledStateDict(stringArg(env, info[0], "path"));
  Napi::Array names = Napi::Array::New(env, entries.size());
  std::vector<at::Tensor> tensors;
  for (size_t i = 0; i < entries.size(); ++i) {
    names.Set(static_cast<uint32_t>(i), entries[i].first);
    tensors.push_back(std::move(entries[i].second));
  }
  Napi::Array result = Napi::Array::New(env, 2);
  result.Set(0u, names);
  result.Set(1u, wrapAll(env, std::move(tensors)));
  return result;
}

}  // namespace

void registerIoBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("readTensors", Napi::Function::New<guarded<readTensors>>(env, "readTensors"));
  exports.Set("readTensorsAsync", Napi::Function::New<guarded<readTensorsAsync>>(env, "readTensorsAsync"));
  exports.Set("writeTensors", Napi::Function::New<guarded<writeTensors>>(env, "writeTensors"));
  exports.Set("writeTensorsAsync", Napi::Function::New<guarded<writeTensorsAsync>>(env, "writeTensorsAsync"));
  exports.Set("loadPickle", Napi::Function::New<guarded<loadPickle>>(env, "loadPickle"));
}

}  // namespace plm
