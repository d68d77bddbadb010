// Numbers as tensor operands, made as PyTorch makes them of Python scalars. Pure C++ over libtorch.
#pragma once

#include <ATen/ATen.h>

namespace plm {

// A 0-dim tensor of `value` on `device`, of the Scalar's own type (int64 for an integral
// Scalar, double for a floating one, bool for a boolean), marked as a wrapped number: type
// promotion ranks it below every tensor, 0-dim ones included, so an int32 tensor + 2 stays
// int32, a float16 one * 2.5 stays float16 and an int64 one / 2.5 becomes the default float
// dtype, as with a Python scalar (c10::scalar_to_tensor, at::native::wrapped_scalar_tensor).
at::Tensor wrappedScalarTensor(const c10::Scalar& value, c10::Device device);

}  // namespace plm
