// Optimizer updates over all parameters of a group in one call, written as PyTorch's own
// single-tensor implementations so the numbers match torch.optim bit for bit where the
// operations are the same. Pure C++ over libtorch.
#pragma once

#include <ATen/ATen.h>

#include <vector>

namespace plm {

struct AdamWOptions {
  double lr, beta1, beta2, eps, weightDecay;
  bool amsgrad, maximize;
};

// torch.optim.AdamW (decoupled weight decay). `steps` are the per-parameter step counts,
// already incremented for this step. maxExpAvgSqs is used only with amsgrad.
void adamwStep(const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& grads,
               const std::vector<at::Tensor>& expAvgs, const std::vector<at::Tensor>& expAvgSqs,
               const std::vector<at::Tensor>& maxExpAvgSqs, const std::vector<int64_t>& steps,
               const AdamWOptions& options);

struct SgdOptions {
  double lr, momentum, dampening, weightDecay;
  bool nesterov, maximize;
};

// torch.optim.SGD. A missing (undefined) momentum buffer is created on this step, as
// PyTorch does (buf = d_p); the returned vector holds each parameter's buffer.
std::vector<at::Tensor> sgdStep(const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& grads,
                                std::vector<at::Tensor> momentumBuffers, const SgdOptions& options);

struct LambOptions {
  double lr, beta1, beta2, eps, weightDecay;
  bool biasCorrection;
  double gradScale;  // grads are divided by this (NVIDIA's global-norm clipping)
  bool trustRatio;   // apex: only where weight decay is applied, unless use_nvlamb
};

// LAMB as NVIDIA's BERT recipe (apex FusedLAMB) defines it: Adam moments of the clipped
// gradient, update = m̂/(√v̂+ε) + λ·p, and (with trustRatio) a per-tensor trust ratio
// ‖p‖/‖update‖, 1 when either norm is zero.
void lambStep(const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& grads,
              const std::vector<at::Tensor>& expAvgs, const std::vector<at::Tensor>& expAvgSqs,
              const std::vector<int64_t>& steps, const LambOptions& options);

// The norm of all gradients together, as torch.nn.utils.get_total_norm computes it.
double totalNorm(const std::vector<at::Tensor>& grads, double normType);

// torch.nn.utils.clip_grad_norm_: scales the gradients in place when their total norm
// exceeds maxNorm; returns the total norm before clipping.
double clipGradNorm(const std::vector<at::Tensor>& grads, double maxNorm, double normType, bool errorIfNonfinite);

}  // namespace plm
