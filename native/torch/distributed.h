// Data parallelism on libtorch's own distributed engine (c10d): a TCPStore rendezvous, a Gloo
// process group (CPU tensors) and collectives that wait with a timeout, plus GradientBuckets,
// which all-reduces gradients in buckets while backward is still running, as DDP does.
#pragma once

#include <ATen/ATen.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace plm {

struct DistOptions {
  int rank = 0;
  int worldSize = 1;
  std::string masterAddr = "127.0.0.1";
  int masterPort = 29500;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
};

enum class ReduceKind { Sum, Avg, Max, Min, Product };

class DistGroup {
 public:
  // Connects to (rank 0: serves) the TCPStore at masterAddr:masterPort and forms the Gloo group.
  explicit DistGroup(const DistOptions& options);
  ~DistGroup();
  DistGroup(const DistGroup&) = delete;
  DistGroup& operator=(const DistGroup&) = delete;

  int rank() const { return options_.rank; }
  int worldSize() const { return options_.worldSize; }
  std::chrono::milliseconds timeout() const { return options_.timeout; }

  void allReduce(std::vector<at::Tensor>& tensors, ReduceKind kind);
  void broadcast(std::vector<at::Tensor>& tensors, int root);
  std::vector<at::Tensor> allGather(const at::Tensor& tensor);
  void barrier();
  // Starts a sum all-reduce of one tensor; wait() on the result (GradientBuckets overlaps these).
  c10::intrusive_ptr<c10d::Work> allReduceAsync(at::Tensor& tensor);
  // Waits for work, throwing a clear error when it fails or does not finish within the timeout.
  void wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what);
  // Leaves the group; later collectives are errors.
  void shutdown();
  bool closed() const { return !backend_; }

 private:
  c10d::Backend& backend(const char* what);
  DistOptions options_;
  c10::intrusive_ptr<c10d::Store> store_;
  c10::intrusive_ptr<c10d::Backend> backend_;
};

// All-reduces the gradients of `params` in buckets of about `bucketBytes`, each launched as soon
// as all its gradients are accumulated during backward (buckets in a fixed order, the same on
// every rank), then averaged over the ranks. Armed per backward: an unarmed backward (noSync,
// gradient accumulation) only accumulates locally, and the next armed one reduces the sums.
class GradientBuckets {
 public:
  GradientBuckets(std::shared_ptr<DistGroup> group, std::vector<at::Tensor> params, int64_t bucketBytes);
  ~GradientBuckets();
  GradientBuckets(const GradientBuckets&) = delete;
  GradientBuckets& operator=(const GradientBuckets&) = delete;

  // The next backward reduces gradients (call before it; forward of the DDP wrapper does).
  void arm();
  void disarm();
  size_t bucketCount() const { return buckets_.size(); }
  int64_t bytesPerStep() const { return bytesPerStep_; }
  int64_t reductions() const { return reductions_; }
  std::vector<std::vector<int64_t>> bucketParams() const;

 private:
  struct Bucket {
    std::vector<size_t> params;
    int64_t numel = 0;
    size_t pending = 0;
    at::Tensor buffer;
    c10::intrusive_ptr<c10d::Work> work;
    bool launched = false;
  };
  void onGradReady(size_t param);
  void launchReady();
  void launch(Bucket& bucket);
  void finalize();

  std::shared_ptr<DistGroup> group_;
  std::vector<at::Tensor> params_;
  std::vector<size_t> bucketOf_;
  std::vector<Bucket> buckets_;
  std::vector<bool> ready_;
  std::vector<c10::intrusive_ptr<torch::autograd::Node>> accumulators_;
  std::vector<uintptr_t> hookKeys_;
  std::mutex mutex_;
  bool armed_ = false;
  bool finalizeQueued_ = false;
  size_t nextBucket_ = 0;
  int64_t bytesPerStep_ = 0;
  int64_t reductions_ = 0;
};

}  // namespace plm
