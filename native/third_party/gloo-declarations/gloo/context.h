// Declarations only: see native/third_party/gloo-declarations/README.md. ProcessGroupGloo's
// inline setTimeout() names Context::setTimeout; the definition is libtorch's.
#pragma once

#include <chrono>

namespace gloo {
class Context {
 public:
  void setTimeout(std::chrono::milliseconds timeout);
};
}  // namespace gloo
