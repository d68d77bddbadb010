// Declarations only: see native/third_party/gloo-declarations/README.md.
#pragma once
