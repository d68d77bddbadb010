#include "torch/wrapped_scalar.h"

#include <ATen/ScalarOps.h>

namespace plm {

at::Tensor wrappedScalarTensor(const c10::Scalar& value, c10::Device device) {
  return at::native::wrapped_scalar_tensor(value, device);
}

}  // namespace plm
