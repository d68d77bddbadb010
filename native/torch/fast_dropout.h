// Dropout whose mask costs little on CPU. ATen's CPU bernoulli_ draws one number at a time
// from the generator on one thread: 9% of a BERT-base training step in transformers' profile.
// Here every element's keep/drop bit comes from a counter-based hash of (seed, index), so the
// mask is made in parallel and vectorises; the seed is one draw from libtorch's CPU generator,
// so manualSeed and saved RNG states still make runs repeat exactly. An autograd function:
// the backward multiplies by the same mask.
#pragma once

#include <ATen/ATen.h>

namespace plm {

// x * mask / (1 - p) with mask ~ Bernoulli(1 - p); x unchanged when !train or p == 0.
at::Tensor fastDropout(const at::Tensor& x, double p, bool train);

}  // namespace plm
