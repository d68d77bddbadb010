#include "torch/allocator_tuning.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace plm {

bool tuneMallocForTraining() {
  static std::once_flag once;
  static bool applied = false;
  std::call_once(once, [] {
#if defined(__GLIBC__)
    const char* setting = std::getenv("PLM_TORCH_MALLOC_TUNING");
    if (setting != nullptr && std::strcmp(setting, "0") == 0) return;
    // 32 MiB is glibc's largest mmap threshold on 64-bit; the trim threshold keeps up to 1 GiB
    // of freed heap for the next step's activations rather than returning and re-faulting it.
    applied = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1 && mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024) == 1;
#endif
  });
  return applied;
}

}  // namespace plm
