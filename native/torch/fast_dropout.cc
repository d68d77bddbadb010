#include "torch/fast_dropout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Dispatch.h>
#include <ATen/OpMathType.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cstdint>
#include <mutex>
#include <stdexcept>

namespace plm {
namespace {

// splitmix64's finaliser: a strong 64-bit mix, two 32-bit draws per call.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t drawSeed() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get<at::CPUGeneratorImpl>()->random64();
}

// mask[i] = 1 when element i is kept (probability 1 - p), made from (seed, i) alone.
at::Tensor makeMask(int64_t n, double p, uint64_t seed) {
  at::Tensor mask = at::empty({n}, at::TensorOptions().dtype(at::kByte));
  uint8_t* out = mask.data_ptr<uint8_t>();
  const uint64_t threshold = static_cast<uint64_t>(p * 4294967296.0);  // drop when draw < p·2^32
  at::parallel_for(0, (n + 1) / 2, 16384, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      const uint64_t r = mix64(seed + static_cast<uint64_t>(k) * 0x9e3779b97f4a7c15ULL);
      const int64_t i = 2 * k;
      out[i] = (r & 0xffffffffULL) >= threshold;
      if (i + 1 < n) out[i + 1] = (r >> 32) >= threshold;
    }
  });
  return mask;
}

// out = x * mask * scale, elementwise, in parallel.
at::Tensor applyMask(const at::Tensor& x, const at::Tensor& mask, double scale) {
  at::Tensor input = x.contiguous();
  at::Tensor out = at::empty_like(input);
  const uint8_t* m = mask.data_ptr<uint8_t>();
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, input.scalar_type(), "fastDropout", [&] {
    const scalar_t* in = input.data_ptr<scalar_t>();
    scalar_t* o = out.data_ptr<scalar_t>();
    using acc_t = at::opmath_type<scalar_t>;
    const acc_t s = static_cast<acc_t>(scale);
    at::parallel_for(0, input.numel(), 32768, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) o[i] = static_cast<scalar_t>(static_cast<acc_t>(in[i]) * (m[i] ? s : acc_t(0)));
    });
  });
  return out;
}

struct FastDropoutFunction : public torch::autograd::Function<FastDropoutFunction> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, double p) {
    const double scale = 1.0 / (1.0 - p);
    at::Tensor mask = makeMask(x.numel(), p, drawSeed());
    ctx->save_for_backward({mask});
    ctx->saved_data["scale"] = scale;
    return applyMask(x, mask, scale).view(x.sizes());
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    const at::Tensor mask = ctx->get_saved_variables()[0];
    const double scale = ctx->saved_data["scale"].toDouble();
    const at::Tensor& g = grads[0];
    return {applyMask(g, mask, scale).view(g.sizes()), at::Tensor()};
  }
};

}  // namespace

at::Tensor fastDropout(const at::Tensor& x, double p, bool train) {
  if (p < 0 || p > 1) throw std::invalid_argument("dropout probability must be in [0, 1], got " + std::to_string(p));
  if (!train || p == 0) return x;
  if (p == 1) return x * 0;
  if (!x.is_cpu() || !at::isFloatingType(x.scalar_type())) return at::dropout(x, p, true);
  return FastDropoutFunction::apply(x, p);
}

}  // namespace plm
