#include "torch/tensor_bytes.h"

#include <stdexcept>

namespace plm {

at::Tensor tensorFromBytes(const void* bytes, size_t byteLength, at::IntArrayRef shape,
                           at::ScalarType sourceType, at::ScalarType targetType,
                           const std::optional<c10::Device>& device, bool requiresGrad) {
  int64_t numel = 1;
  for (int64_t size : shape) {
    if (size < 0) throw std::invalid_argument("shape sizes must be non-negative");
    numel *= size;
  }
  const size_t itemSize = c10::elementSize(sourceType);
  if (static_cast<size_t>(numel) * itemSize != byteLength) {
    throw std::length_error("data holds " + std::to_string(byteLength / itemSize) + " elements but shape [" +
                            c10::str(shape) + " needs " + std::to_string(numel));
  }
  at::Tensor result = at::empty(shape, at::TensorOptions().dtype(sourceType));
  if (byteLength > 0) std::memcpy(result.data_ptr(), bytes, byteLength);
  if (targetType != sourceType) result = result.to(targetType);
  if (device && !device->is_cpu()) result = result.to(*device);
  if (requiresGrad) result.set_requires_grad(true);
  return result;
}

at::Tensor readableCopy(const at::Tensor& tensor, std::optional<at::ScalarType> readType) {
  at::Tensor result = tensor.detach();
  if (readType && result.scalar_type() != *readType) result = result.to(*readType);
  if (!result.device().is_cpu()) result = result.to(at::kCPU);
  // Conjugate or negative views store their bit lazily; resolve before reading raw bytes.
  return result.resolve_conj().resolve_neg().contiguous();
}

}  // namespace plm
