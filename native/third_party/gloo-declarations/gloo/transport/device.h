// Declarations only: see native/third_party/gloo-declarations/README.md.
#pragma once

namespace gloo {
namespace transport {
class Device;
class UnboundBuffer;
}  // namespace transport
}  // namespace gloo
