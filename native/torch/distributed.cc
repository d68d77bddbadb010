#include "torch/distributed.h"

#include <c10/util/Exception.h>
#include <torch/csrc/autograd/engine.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <algorithm>
#include <stdexcept>

namespace plm {
namespace {

// c10::Error's what() carries a C++ backtrace; people need the first line.
std::string reason(const std::exception& e) {
  if (const auto* c10Error = dynamic_cast<const c10::Error*>(&e)) return c10Error->what_without_backtrace();
  return e.what();
}

std::string where(const DistOptions& o) { return o.masterAddr + ":" + std::to_string(o.masterPort); }

std::string seconds(std::chrono::milliseconds t) {
  const double s = static_cast<double>(t.count()) / 1000.0;
  std::string text = std::to_string(s);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text + " s";
}

// c10d reads a vector of tensors as one tensor per device; several tensors of one process are
// flattened into one buffer per dtype instead (one collective each), then copied back.
template <typename F>
void coalesced(std::vector<at::Tensor>& tensors, F&& collective) {
  std::vector<at::ScalarType> dtypes;
  for (const auto& t : tensors)
    if (std::find(dtypes.begin(), dtypes.end(), t.scalar_type()) == dtypes.end()) dtypes.push_back(t.scalar_type());
  for (const auto dtype : dtypes) {
    std::vector<at::Tensor> flat;
    for (const auto& t : tensors)
      if (t.scalar_type() == dtype) flat.push_back(t.reshape({-1}));
    std::vector<at::Tensor> buffer{at::cat(flat)};
    collective(buffer);
    int64_t offset = 0;
    for (auto& t : tensors) {
      if (t.scalar_type() != dtype) continue;
      t.copy_(buffer[0].narrow(0, offset, t.numel()).view(t.sizes()));
      offset += t.numel();
    }
  }
}

}  // namespace

DistGroup::DistGroup(const DistOptions& options) : options_(options) {
  if (options.worldSize < 1) throw std::invalid_argument("worldSize must be at least 1, got " + std::to_string(options.worldSize));
  if (options.rank < 0 || options.rank >= options.worldSize)
    throw std::invalid_argument("rank must be in [0, " + std::to_string(options.worldSize) + "), got " + std::to_string(options.rank));
  if (options.masterPort < 1 || options.masterPort > 65535) throw std::invalid_argument("masterPort must be a port number (1-65535), got " + std::to_string(options.masterPort));
  if (options.timeout.count() <= 0) throw std::invalid_argument("timeout must be positive");
  c10d::TCPStoreOptions storeOptions;
  storeOptions.port = static_cast<std::uint16_t>(options.masterPort);
  storeOptions.isServer = options.rank == 0;
  storeOptions.numWorkers = options.worldSize;
  storeOptions.waitWorkers = true;
  storeOptions.timeout = options.timeout;
  try {
    store_ = c10::make_intrusive<c10d::TCPStore>(options.masterAddr, storeOptions);
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(options.rank) + " could not " + (options.rank == 0 ? "serve" : "reach") +
                             " the rendezvous at " + where(options) + " within " + seconds(options.timeout) + ": " + reason(e));
  }
  auto prefixed = c10::make_intrusive<c10d::PrefixStore>("plm-torch/", store_);
  auto glooOptions = c10d::ProcessGroupGloo::Options::create(options.timeout);
  try {
    glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(options.masterAddr == "localhost" ? "127.0.0.1" : options.masterAddr));
  } catch (const std::exception&) {
    // masterAddr is another machine's: bind to this machine's own address instead.
    glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  }
  try {
    backend_ = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, options.rank, options.worldSize, glooOptions);
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(options.rank) + " could not form the Gloo group of " + std::to_string(options.worldSize) + " via " + where(options) + ": " + reason(e));
  }
}

DistGroup::~DistGroup() {
  try {
    shutdown();
  } catch (...) {
    // Destructors never throw; a failing shutdown leaves nothing to clean up.
  }
}

void DistGroup::shutdown() {
  backend_.reset();
  store_.reset();
}

c10d::Backend& DistGroup::backend(const char* what) {
  if (!backend_) throw std::runtime_error(std::string(what) + "(): the process group was shut down");
  return *backend_;
}

void DistGroup::wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what) {
  try {
    work->wait(options_.timeout);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(what) + " failed on rank " + std::to_string(options_.rank) + " of " + std::to_string(options_.worldSize) +
                             " (a rank died, hung past the " + seconds(options_.timeout) + " timeout, or left the group): " + reason(e));
  }
}

void DistGroup::allReduce(std::vector<at::Tensor>& tensors, ReduceKind kind) {
  c10d::AllreduceOptions opts;
  opts.timeout = options_.timeout;
  switch (kind) {
    case ReduceKind::Sum:
    case ReduceKind::Avg:
      opts.reduceOp = c10d::ReduceOp::SUM;
      break;
    case ReduceKind::Max:
      opts.reduceOp = c10d::ReduceOp::MAX;
      break;
    case ReduceKind::Min:
      opts.reduceOp = c10d::ReduceOp::MIN;
      break;
    case ReduceKind::Product:
      opts.reduceOp = c10d::ReduceOp::PRODUCT;
      break;
  }
  coalesced(tensors, [&](std::vector<at::Tensor>& buffer) { wait(backend("allReduce").allreduce(buffer, opts), "allReduce"); });
  if (kind == ReduceKind::Avg)
    for (auto& t : tensors) t.div_(options_.worldSize);
}

c10::intrusive_ptr<c10d::Work> DistGroup::allReduceAsync(at::Tensor& tensor) {
  std::vector<at::Tensor> tensors{tensor};
  c10d::AllreduceOptions opts;
  opts.timeout = options_.timeout;
  return backend("allReduce").allreduce(tensors, opts);
}

void DistGroup::broadcast(std::vector<at::Tensor>& tensors, int root) {
  if (root < 0 || root >= options_.worldSize) throw std::invalid_argument("broadcast(): root must be a rank in [0, " + std::to_string(options_.worldSize) + "), got " + std::to_string(root));
  c10d::BroadcastOptions opts;
  opts.rootRank = root;
  opts.timeout = options_.timeout;
  coalesced(tensors, [&](std::vector<at::Tensor>& buffer) { wait(backend("broadcast").broadcast(buffer, opts), "broadcast"); });
}

std::vector<at::Tensor> DistGroup::allGather(const at::Tensor& tensor) {
  std::vector<at::Tensor> input{tensor.contiguous()};
  std::vector<std::vector<at::Tensor>> output(1);
  for (int r = 0; r < options_.worldSize; ++r) output[0].push_back(at::empty_like(input[0]));
  c10d::AllgatherOptions opts;
  opts.timeout = options_.timeout;
  wait(backend("allGather").allgather(output, input, opts), "allGather");
  return output[0];
}

void DistGroup::barrier() {
  c10d::BarrierOptions opts;
  opts.timeout = options_.timeout;
  wait(backend("barrier").barrier(opts), "barrier");
}

GradientBuckets::GradientBuckets(std::shared_ptr<DistGroup> group, std::vector<at::Tensor> params, int64_t bucketBytes)
    : group_(std::move(group)), params_(std::move(params)) {
  if (bucketBytes < 1) throw std::invalid_argument("bucketBytes must be positive");
  for (const auto& p : params_) {
    if (!p.requires_grad() || !p.is_leaf()) throw std::invalid_argument("DistributedDataParallel: every parameter must be a leaf that requires grad");
    if (!p.is_cpu()) throw std::invalid_argument("DistributedDataParallel on Gloo takes CPU parameters (CUDA needs NCCL, which this libtorch lacks)");
  }
  // Buckets in reverse parameter order: backward produces the last layers' gradients first.
  bucketOf_.resize(params_.size());
  int64_t bytes = 0;
  for (size_t k = params_.size(); k-- > 0;) {
    const auto& p = params_[k];
    const bool fits = !buckets_.empty() && bytes + p.numel() * p.element_size() <= bucketBytes &&
                      params_[buckets_.back().params.front()].scalar_type() == p.scalar_type();
    if (!fits) {
      buckets_.emplace_back();
      bytes = 0;
    }
    buckets_.back().params.push_back(k);
    buckets_.back().numel += p.numel();
    bytes += p.numel() * p.element_size();
    bucketOf_[k] = buckets_.size() - 1;
  }
  for (const auto& b : buckets_) bytesPerStep_ += b.numel * params_[b.params.front()].element_size();
  ready_.assign(params_.size(), false);
  for (size_t k = 0; k < params_.size(); ++k) {
    auto accumulator = torch::autograd::impl::grad_accumulator(params_[k]);
    hookKeys_.push_back(accumulator->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
        [this, k](const torch::autograd::variable_list& outputs, const torch::autograd::variable_list&) {
          onGradReady(k);
          return outputs;
        })));
    accumulators_.push_back(std::move(accumulator));
  }
}

GradientBuckets::~GradientBuckets() {
  for (size_t k = 0; k < accumulators_.size(); ++k) accumulators_[k]->del_post_hook(hookKeys_[k]);
}

std::vector<std::vector<int64_t>> GradientBuckets::bucketParams() const {
  std::vector<std::vector<int64_t>> out;
  for (const auto& b : buckets_) out.emplace_back(b.params.begin(), b.params.end());
  return out;
}

void GradientBuckets::arm() {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = true;
  finalizeQueued_ = false;
  nextBucket_ = 0;
  ready_.assign(params_.size(), false);
  for (auto& b : buckets_) {
    b.pending = b.params.size();
    b.launched = false;
    b.work.reset();
    b.buffer = at::Tensor();
  }
}

void GradientBuckets::disarm() {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = false;
}

void GradientBuckets::onGradReady(size_t param) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!armed_ || ready_[param]) return;
  ready_[param] = true;
  if (!finalizeQueued_) {
    // Runs once the whole backward pass is done, on the thread that called backward.
    torch::autograd::Engine::get_default_engine().queue_callback([this] { finalize(); });
    finalizeQueued_ = true;
  }
  --buckets_[bucketOf_[param]].pending;
  launchReady();
}

void GradientBuckets::launchReady() {
  // In bucket order only: every rank must issue the same collectives in the same order.
  while (nextBucket_ < buckets_.size() && buckets_[nextBucket_].pending == 0) launch(buckets_[nextBucket_++]);
}

void GradientBuckets::launch(Bucket& bucket) {
  std::vector<at::Tensor> flat;
  flat.reserve(bucket.params.size());
  for (size_t k : bucket.params) {
    const auto& p = params_[k];
    // A parameter this rank did not use contributes zeros; it still gets the others' average.
    flat.push_back(p.grad().defined() ? p.grad().reshape({-1}) : at::zeros({p.numel()}, p.options().requires_grad(false)));
  }
  bucket.buffer = at::cat(flat).div_(group_->worldSize());
  bucket.work = group_->allReduceAsync(bucket.buffer);
  bucket.launched = true;
}

void GradientBuckets::finalize() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!armed_) return;
  armed_ = false;
  for (; nextBucket_ < buckets_.size(); ++nextBucket_) launch(buckets_[nextBucket_]);
  for (auto& b : buckets_) {
    group_->wait(b.work, "gradient all-reduce");
    int64_t offset = 0;
    for (size_t k : b.params) {
      auto& p = params_[k];
      auto slice = b.buffer.narrow(0, offset, p.numel()).view(p.sizes());
      if (p.grad().defined()) p.mutable_grad().copy_(slice);
      else p.mutable_grad() = slice.clone();
      offset += p.numel();
    }
    b.buffer = at::Tensor();
    b.work.reset();
  }
  ++reductions_;
}

}  // namespace plm
