#include "torch/optimizers.h"

#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace plm {
namespace {

void checkSameLength(size_t n, size_t m, const char* what) {
  if (n != m) throw std::invalid_argument(std::string(what) + ": expected one per parameter");
}

// One pass over a float32 parameter: read p, g, m, v once, write p, m, v once, where the
// op-by-op form reads and writes them eight times (AdamW was 9% of a BERT-base CPU step).
// The arithmetic is that of the op-by-op form below, element by element. Compiled for
// AVX-512, AVX2 and plain x86-64, chosen at load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default"), optimize("fp-contract=off")))
#endif
void adamwFusedRange(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v, int64_t begin, int64_t end,
                     float decay, float w1, float b2, float w2, float bc2Sqrt, float eps, float negStepSize) {
  const bool lerpFromStart = w1 < 0.5f;  // ATen's lerp: two formulas either side of weight 0.5
  for (int64_t i = begin; i < end; ++i) {
    const float gi = g[i];
    const float mi = lerpFromStart ? m[i] + w1 * (gi - m[i]) : gi - (gi - m[i]) * (1.0f - w1);
    const float vi = v[i] * b2 + w2 * gi * gi;
    const float denom = std::sqrt(vi) / bc2Sqrt + eps;
    p[i] = p[i] * decay + negStepSize * (mi / denom);
    m[i] = mi;
    v[i] = vi;
  }
}

bool adamwFused(at::Tensor& param, const at::Tensor& grad, at::Tensor& expAvg, at::Tensor& expAvgSq, double step, const AdamWOptions& o) {
  const auto fits = [&](const at::Tensor& t) { return t.is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous() && t.numel() == param.numel(); };
  if (o.amsgrad || o.maximize || !fits(param) || !fits(grad) || !fits(expAvg) || !fits(expAvgSq)) return false;
  const float decay = static_cast<float>(1 - o.lr * o.weightDecay);
  const float w1 = static_cast<float>(1 - o.beta1);
  const float b2 = static_cast<float>(o.beta2);
  const float w2 = static_cast<float>(1 - o.beta2);
  const float bc2Sqrt = static_cast<float>(std::pow(1 - std::pow(o.beta2, step), 0.5));
  const float negStepSize = static_cast<float>(-(o.lr / (1 - std::pow(o.beta1, step))));
  const float eps = static_cast<float>(o.eps);
  float* p = param.data_ptr<float>();
  const float* g = grad.data_ptr<float>();
  float* m = expAvg.data_ptr<float>();
  float* v = expAvgSq.data_ptr<float>();
  at::parallel_for(0, param.numel(), 65536, [&](int64_t begin, int64_t end) {
    adamwFusedRange(p, g, m, v, begin, end, decay, w1, b2, w2, bc2Sqrt, eps, negStepSize);
  });
  return true;
}

}  // namespace

void adamwStep(const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& grads,
               const std::vector<at::Tensor>& expAvgs, const std::vector<at::Tensor>& expAvgSqs,
               const std::vector<at::Tensor>& maxExpAvgSqs, const std::vector<int64_t>& steps,
               const AdamWOptions& o) {
  checkSameLength(params.size(), grads.size(), "grads");
  checkSameLength(params.size(), expAvgs.size(), "expAvgs");
  checkSameLength(params.size(), expAvgSqs.size(), "expAvgSqs");
  checkSameLength(params.size(), steps.size(), "steps");
  if (o.amsgrad) checkSameLength(params.size(), maxExpAvgSqs.size(), "maxExpAvgSqs");
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); ++i) {
    at::Tensor param = params[i];
    const at::Tensor grad = o.maximize ? grads[i].neg() : grads[i];
    at::Tensor expAvg = expAvgs[i];
    at::Tensor expAvgSq = expAvgSqs[i];
    const double step = static_cast<double>(steps[i]);
    if (adamwFused(param, grads[i], expAvg, expAvgSq, step, o)) continue;
    param.mul_(1 - o.lr * o.weightDecay);
    expAvg.lerp_(grad, 1 - o.beta1);
    expAvgSq.mul_(o.beta2).addcmul_(grad, grad, 1 - o.beta2);
    const double biasCorrection1 = 1 - std::pow(o.beta1, step);
    const double biasCorrection2 = 1 - std::pow(o.beta2, step);
    const double stepSize = o.lr / biasCorrection1;
    const double biasCorrection2Sqrt = std::pow(biasCorrection2, 0.5);  // as Python computes `** 0.5`
    at::Tensor denom;
    if (o.amsgrad) {
      at::Tensor maxExpAvgSq = maxExpAvgSqs[i];
      at::maximum_out(maxExpAvgSq, maxExpAvgSq, expAvgSq);
      denom = (maxExpAvgSq.sqrt() / biasCorrection2Sqrt).add_(o.eps);
    } else {
      denom = (expAvgSq.sqrt() / biasCorrection2Sqrt).add_(o.eps);
    }
    param.addcdiv_(expAvg, denom, -stepSize);
  }
}

std::vector<at::Tensor> sgdStep(const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& grads,
                                std::vector<at::Tensor> buffers, const SgdOptions& o) {
  checkSameLength(params.size(), grads.size(), "grads");
  if (o.momentum != 0) checkSameLength(params.size(), buffers.size(), "momentumBuffers");
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); ++i) {
    at::Tensor param = params[i];
    at::Tensor dp = o.maximize ? grads[i].neg() : grads[i];
    if (o.weightDecay != 0) dp = dp.add(param, o.weightDecay);
    if (o.momentum != 0) {
      at::Tensor& buf = buffers[i];
      if (!buf.defined()) buf = dp.clone().detach();
      else buf.mul_(o.momentum).add_(dp, 1 - o.dampening);
      dp = o.nesterov ? dp.add(buf, o.momentum) : buf;
    }
    param.add_(dp, -o.lr);
  }
  return buffers;
}

void lambStep(const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& grads,
              const std::vector<at::Tensor>& expAvgs, const std::vector<at::Tensor>& expAvgSqs,
              const std::vector<int64_t>& steps, const LambOptions& o) {
  checkSameLength(params.size(), grads.size(), "grads");
  checkSameLength(params.size(), expAvgs.size(), "expAvgs");
  checkSameLength(params.size(), expAvgSqs.size(), "expAvgSqs");
  checkSameLength(params.size(), steps.size(), "steps");
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); ++i) {
    at::Tensor param = params[i];
    const at::Tensor grad = grads[i] / o.gradScale;
    at::Tensor expAvg = expAvgs[i];
    at::Tensor expAvgSq = expAvgSqs[i];
    expAvg.mul_(o.beta1).add_(grad, 1 - o.beta1);
    expAvgSq.mul_(o.beta2).addcmul_(grad, grad, 1 - o.beta2);
    const double step = static_cast<double>(steps[i]);
    const double c1 = o.biasCorrection ? 1 - std::pow(o.beta1, step) : 1.0;
    const double c2 = o.biasCorrection ? 1 - std::pow(o.beta2, step) : 1.0;
    at::Tensor update = (expAvg / c1) / ((expAvgSq / c2).sqrt().add_(o.eps));
    if (o.weightDecay != 0) update.add_(param, o.weightDecay);
    double ratio = 1.0;
    if (o.trustRatio) {
      const double paramNorm = param.norm().item<double>();
      const double updateNorm = update.norm().item<double>();
      if (paramNorm > 0 && updateNorm > 0) ratio = paramNorm / updateNorm;
    }
    param.add_(update, -o.lr * ratio);
  }
}

double totalNorm(const std::vector<at::Tensor>& grads, double normType) {
  if (grads.empty()) return 0.0;
  at::NoGradGuard noGrad;
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  for (const at::Tensor& g : grads) norms.push_back(at::linalg_vector_norm(g, normType, std::nullopt, false, std::nullopt));
  return at::linalg_vector_norm(at::stack(norms), normType, std::nullopt, false, std::nullopt).item<double>();
}

double clipGradNorm(const std::vector<at::Tensor>& grads, double maxNorm, double normType, bool errorIfNonfinite) {
  const double total = totalNorm(grads, normType);
  if (errorIfNonfinite && !std::isfinite(total)) {
    throw std::domain_error("the total norm of order " + std::to_string(normType) +
                            " of the gradients is non-finite, so it cannot be clipped");
  }
  at::NoGradGuard noGrad;
  const double clipCoef = maxNorm / (total + 1e-6);
  // Written so that a NaN norm scales too (NaN < 1 is false): PyTorch's clamp keeps the NaN
  // and every gradient becomes NaN, so a diverged step shows in all of them, not just one.
  if (!(clipCoef >= 1.0)) {
    for (const at::Tensor& g : grads) const_cast<at::Tensor&>(g).mul_(clipCoef);
  }
  return total;
}

}  // namespace plm
