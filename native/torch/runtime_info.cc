#include "torch/runtime_info.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <c10/core/CPUAllocator.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <chrono>
#include <stdexcept>

#ifndef PLM_LIBTORCH_ROOT
#define PLM_LIBTORCH_ROOT ""
#endif

namespace plm {
namespace {

std::string libraryOf(const void* symbol) {
  Dl_info info{};
  if (dladdr(symbol, &info) != 0 && info.dli_fname != nullptr) return info.dli_fname;
  return "";
}

}  // namespace

RuntimeInfo runtimeInfo() {
  RuntimeInfo info;
  info.version = TORCH_VERSION;
  info.linkedRoot = PLM_LIBTORCH_ROOT;
  info.torchCpuLibrary = libraryOf(reinterpret_cast<const void*>(&at::show_config));
  info.c10Library = libraryOf(reinterpret_cast<const void*>(&c10::GetCPUAllocator));
  info.cudaCompiled = at::hasCUDA();
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDeviceCount = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
  info.threads = at::get_num_threads();
  info.interopThreads = at::get_num_interop_threads();
  info.config = at::show_config();
  info.parallel = at::get_parallel_info();
  info.cxxAbi = _GLIBCXX_USE_CXX11_ABI ? "cxx11" : "pre-cxx11";
  return info;
}

double matmulGflops(const std::string& dtype, const std::string& device, int64_t n, double seconds) {
  at::ScalarType type;
  if (dtype == "float32") type = at::kFloat;
  else if (dtype == "bfloat16") type = at::kBFloat16;
  else if (dtype == "float16") type = at::kHalf;
  else if (dtype == "float64") type = at::kDouble;
  else throw std::invalid_argument("matmul benchmark dtype must be float32, bfloat16, float16 or float64, not " + dtype);
  const c10::Device dev(device);
  const auto options = at::TensorOptions().dtype(type).device(dev);
  const at::Tensor a = at::randn({n, n}, options);
  const at::Tensor b = at::randn({n, n}, options);
  at::Tensor c = at::empty({n, n}, options);
  const auto sync = [&] {
    if (dev.is_cuda()) torch::cuda::synchronize(dev.index() < 0 ? -1 : dev.index());
  };
  at::mm_out(c, a, b);  // warm-up: first calls pick kernels and allocate workspaces
  sync();
  using clock = std::chrono::steady_clock;
  int64_t iterations = 0;
  const auto start = clock::now();
  double elapsed = 0;
  do {
    at::mm_out(c, a, b);
    ++iterations;
    if (iterations % 4 == 0 || dev.is_cpu()) sync();
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < seconds);
  sync();
  elapsed = std::chrono::duration<double>(clock::now() - start).count();
  return 2.0 * static_cast<double>(n) * n * n * iterations / elapsed / 1e9;
}

}  // namespace plm
