#include "torch/tensor_file.h"

#include <torch/csrc/jit/serialization/pickle.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace plm {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open(const std::string& path, const char* mode) {
  File file(std::fopen(path.c_str(), mode));
  if (!file) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  return file;
}

}  // namespace

std::vector<at::Tensor> readTensorsFromFile(const std::string& path, const std::vector<FileSlice>& slices) {
  File file = open(path, "rb");
  std::vector<at::Tensor> tensors;
  tensors.reserve(slices.size());
  for (const FileSlice& slice : slices) {
    at::Tensor tensor = at::empty(slice.shape, at::TensorOptions().dtype(slice.dtype));
    const uint64_t expected = static_cast<uint64_t>(tensor.numel()) * tensor.element_size();
    if (expected != slice.length) {
      throw std::length_error("slice of " + std::to_string(slice.length) + " bytes does not hold shape " +
                              c10::str(slice.shape) + " (" + std::to_string(expected) + " bytes)");
    }
    if (slice.length > 0) {
      if (fseeko(file.get(), static_cast<off_t>(slice.offset), SEEK_SET) != 0) {
        throw std::runtime_error("cannot seek in " + path);
      }
      if (std::fread(tensor.data_ptr(), 1, slice.length, file.get()) != slice.length) {
        throw std::runtime_error(path + " ended before the " + std::to_string(slice.length) + " bytes at offset " +
                                 std::to_string(slice.offset));
      }
    }
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}

void writeTensorsToFile(const std::string& path, const std::string& header, const std::vector<at::Tensor>& tensors) {
  File file = open(path, "wb");
  auto write = [&](const void* data, size_t bytes) {
    if (bytes > 0 && std::fwrite(data, 1, bytes, file.get()) != bytes) {
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
  };
  write(header.data(), header.size());
  for (const at::Tensor& t : tensors) {
    const at::Tensor data = t.detach().to(at::kCPU).contiguous();
    write(data.const_data_ptr(), static_cast<size_t>(data.numel()) * data.element_size());
  }
  if (std::fflush(file.get()) != 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

std::vector<std::pair<std::string, at::Tensor>> loadPickledStateDict(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const c10::IValue value = torch::jit::pickle_load(bytes);
  if (!value.isGenericDict()) throw std::runtime_error(path + " does not hold a state dict (a dict of tensors)");
  std::vector<std::pair<std::string, at::Tensor>> entries;
  for (const auto& item : value.toGenericDict()) {
    if (!item.key().isString()) throw std::runtime_error(path + ": a state-dict key is not a string");
    if (!item.value().isTensor()) continue;  // non-tensor extras (e.g. version counters)
    entries.emplace_back(item.key().toStringRef(), item.value().toTensor());
  }
  return entries;
}

}  // namespace plm
