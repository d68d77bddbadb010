// Tensor bytes straight between files and tensor memory: no intermediate host copy, so a
// 500 MB checkpoint never exists twice in memory. Pure C++ over libtorch.
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace plm {

struct FileSlice {
  uint64_t offset;  // from the start of the file
  uint64_t length;  // bytes
  std::vector<int64_t> shape;
  at::ScalarType dtype;
};

// Reads each slice into a new CPU tensor. Throws when the file is shorter than a slice needs.
std::vector<at::Tensor> readTensorsFromFile(const std::string& path, const std::vector<FileSlice>& slices);

// Writes `header` and then each tensor's elements (row-major, little-endian) to `path`.
void writeTensorsToFile(const std::string& path, const std::string& header, const std::vector<at::Tensor>& tensors);

// A PyTorch `.bin` (torch.save zip) state dict, read by libtorch's own unpickler, which
// resolves only known types and runs no code from the file.
std::vector<std::pair<std::string, at::Tensor>> loadPickledStateDict(const std::string& path);

}  // namespace plm
