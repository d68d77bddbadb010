// What libtorch this process runs: version, location, CUDA, threads, build configuration.
#pragma once

#include <string>

namespace plm {

struct RuntimeInfo {
  std::string version;          // of the headers compiled against
  std::string linkedRoot;       // the libtorch folder named at build time
  std::string torchCpuLibrary;  // the libtorch_cpu actually loaded (dladdr)
  std::string c10Library;       // the libc10 actually loaded (dladdr)
  bool cudaCompiled;            // libtorch_cuda is linked
  bool cudaAvailable;
  int cudaDeviceCount;
  int threads;
  int interopThreads;
  std::string config;      // at::show_config()
  std::string parallel;    // at::get_parallel_info()
  std::string cxxAbi;
};

RuntimeInfo runtimeInfo();

// Measures matmul throughput of an n×n by n×n product for about `seconds`.
double matmulGflops(const std::string& dtype, const std::string& device, int64_t n, double seconds);

}  // namespace plm
