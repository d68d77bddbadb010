// Moving raw element bytes between host buffers and tensors.
#pragma once

#include <ATen/ATen.h>

#include <cstddef>
#include <optional>
#include <string>

namespace plm {

// A new tensor of `shape` holding a copy of `bytes`, which hold elements of `sourceType`;
// cast to `targetType` and moved to `device` afterwards. Checks that the byte count
// matches the shape.
at::Tensor tensorFromBytes(const void* bytes, size_t byteLength, at::IntArrayRef shape,
                           at::ScalarType sourceType, at::ScalarType targetType,
                           const std::optional<c10::Device>& device, bool requiresGrad);

// The tensor as a contiguous CPU tensor of `readType` (its own dtype when absent), ready to
// copy out element by element.
at::Tensor readableCopy(const at::Tensor& tensor, std::optional<at::ScalarType> readType);

}  // namespace plm
