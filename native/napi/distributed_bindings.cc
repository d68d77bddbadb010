// Process groups are ids into the environment's table; collectives take arrays of tensor
// handles and work in place, as torch.distributed's do. Every call blocks until done or until
// the group's timeout, which turns a dead or hung rank into an error instead of a hang.
#include "napi/distributed_bindings.h"

#include "napi/env_state.h"
#include "napi/errors.h"
#include "napi/tensor_handle.h"

namespace plm {
namespace {

template <typename T>
T& lookup(Napi::Env env, std::vector<T>& table, const Napi::Value& id, const char* what) {
  if (!id.IsNumber()) throwTypeError(env, std::string(what) + " id must be a number");
  const int64_t i = id.As<Napi::Number>().Int64Value();
  if (i < 0 || i >= static_cast<int64_t>(table.size()) || !table[i]) throwRangeError(env, std::string("this ") + what + " was destroyed");
  return table[i];
}

std::shared_ptr<DistGroup>& group(const Napi::CallbackInfo& info) { return lookup(info.Env(), envState(info.Env()).groups, info[0], "process group"); }

int intOption(Napi::Env env, const Napi::Object& o, const char* key) {
  const Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throwTypeError(env, std::string(key) + " must be a number");
  return v.As<Napi::Number>().Int32Value();
}

// distInit({ rank, worldSize, masterAddr, masterPort, timeoutMs }) → id
Napi::Value init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throwTypeError(env, "distInit(): options must be an object");
  const Napi::Object o = info[0].As<Napi::Object>();
  DistOptions options;
  options.rank = intOption(env, o, "rank");
  options.worldSize = intOption(env, o, "worldSize");
  options.masterPort = intOption(env, o, "masterPort");
  if (!o.Get("masterAddr").IsString()) throwTypeError(env, "masterAddr must be a string");
  options.masterAddr = o.Get("masterAddr").As<Napi::String>().Utf8Value();
  options.timeout = std::chrono::milliseconds(static_cast<int64_t>(o.Get("timeoutMs").As<Napi::Number>().DoubleValue()));
  auto& groups = envState(env).groups;
  groups.push_back(std::make_shared<DistGroup>(options));
  return Napi::Number::New(env, static_cast<double>(groups.size() - 1));
}

DistGroup& live(const Napi::CallbackInfo& info) {
  auto& g = group(info);
  if (g->closed()) throw std::runtime_error("the process group was shut down");
  return *g;
}

ReduceKind reduceKind(Napi::Env env, const Napi::Value& v) {
  const std::string op = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (op == "sum") return ReduceKind::Sum;
  if (op == "avg") return ReduceKind::Avg;
  if (op == "max") return ReduceKind::Max;
  if (op == "min") return ReduceKind::Min;
  if (op == "product") return ReduceKind::Product;
  throwRangeError(env, "op must be 'sum', 'avg', 'max', 'min' or 'product', got '" + op + "'");
}

// distAllReduce(id, tensors, op)
Napi::Value allReduce(const Napi::CallbackInfo& info) {
  auto tensors = tensorsOf(info.Env(), info[1], "tensors");
  live(info).allReduce(tensors, reduceKind(info.Env(), info[2]));
  return info.Env().Undefined();
}

// distBroadcast(id, tensors, root)
Napi::Value broadcast(const Napi::CallbackInfo& info) {
  auto tensors = tensorsOf(info.Env(), info[1], "tensors");
  live(info).broadcast(tensors, info[2].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

// distAllGather(id, tensor) → one tensor per rank
Napi::Value allGather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto gathered = live(info).allGather(tensorOf(env, info[1], "tensor"));
  Napi::Array out = Napi::Array::New(env, gathered.size());
  for (size_t i = 0; i < gathered.size(); ++i) out.Set(static_cast<uint32_t>(i), wrapTensor(env, gathered[i]));
  return out;
}

Napi::Value barrier(const Napi::CallbackInfo& info) {
  live(info).barrier();
  return info.Env().Undefined();
}

Napi::Value shutdown(const Napi::CallbackInfo& info) {
  auto& g = group(info);
  g->shutdown();
  g.reset();
  return info.Env().Undefined();
}

// ddpCreate(groupId, params, bucketBytes) → id
Napi::Value ddpCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto g = group(info);
  auto& table = envState(env).gradientBuckets;
  table.push_back(std::make_unique<GradientBuckets>(g, tensorsOf(env, info[1], "params"), static_cast<int64_t>(info[2].As<Napi::Number>().DoubleValue())));
  return Napi::Number::New(env, static_cast<double>(table.size() - 1));
}

GradientBuckets& buckets(const Napi::CallbackInfo& info) { return *lookup(info.Env(), envState(info.Env()).gradientBuckets, info[0], "DistributedDataParallel"); }

// ddpArm(id, armed)
Napi::Value ddpArm(const Napi::CallbackInfo& info) {
  if (info[1].ToBoolean().Value()) buckets(info).arm();
  else buckets(info).disarm();
  return info.Env().Undefined();
}

Napi::Value ddpInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto& b = buckets(info);
  Napi::Object out = Napi::Object::New(env);
  out.Set("bytesPerStep", Napi::Number::New(env, static_cast<double>(b.bytesPerStep())));
  out.Set("reductions", Napi::Number::New(env, static_cast<double>(b.reductions())));
  const auto params = b.bucketParams();
  Napi::Array list = Napi::Array::New(env, params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    Napi::Array one = Napi::Array::New(env, params[i].size());
    for (size_t j = 0; j < params[i].size(); ++j) one.Set(static_cast<uint32_t>(j), Napi::Number::New(env, static_cast<double>(params[i][j])));
    list.Set(static_cast<uint32_t>(i), one);
  }
  out.Set("buckets", list);
  return out;
}

Napi::Value ddpDestroy(const Napi::CallbackInfo& info) {
  lookup(info.Env(), envState(info.Env()).gradientBuckets, info[0], "DistributedDataParallel").reset();
  return info.Env().Undefined();
}

}  // namespace

void registerDistributedBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("distInit", Napi::Function::New<guarded<init>>(env, "distInit"));
  exports.Set("distAllReduce", Napi::Function::New<guarded<allReduce>>(env, "distAllReduce"));
  exports.Set("distBroadcast", Napi::Function::New<guarded<broadcast>>(env, "distBroadcast"));
  exports.Set("distAllGather", Napi::Function::New<guarded<allGather>>(env, "distAllGather"));
  exports.Set("distBarrier", Napi::Function::New<guarded<barrier>>(env, "distBarrier"));
  exports.Set("distShutdown", Napi::Function::New<guarded<shutdown>>(env, "distShutdown"));
  exports.Set("ddpCreate", Napi::Function::New<guarded<ddpCreate>>(env, "ddpCreate"));
  exports.Set("ddpArm", Napi::Function::New<guarded<ddpArm>>(env, "ddpArm"));
  exports.Set("ddpInfo", Napi::Function::New<guarded<ddpInfo>>(env, "ddpInfo"));
  exports.Set("ddpDestroy", Napi::Function::New<guarded<ddpDestroy>>(env, "ddpDestroy"));
}

}  // namespace plm
