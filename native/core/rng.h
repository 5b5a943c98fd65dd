// Counter-based random numbers (splitmix64 of seed and element index): same seed, same numbers, on any thread or device.
#pragma once
#include <cmath>
#include <cstdint>

#include "hd.h"

namespace tn {

TN_HD uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Uniform in [0, 1) with 24 random bits (exactly representable in float32).
TN_HD float uniformAt(uint64_t seed, uint64_t index) {
  uint64_t h = splitmix64(splitmix64(seed) ^ index);
  return static_cast<float>(h >> 40) * (1.0f / 16777216.0f);
}

// Standard normal by Box-Muller over two independent uniforms of this index.
TN_HD float normalAt(uint64_t seed, uint64_t index) {
  float u1 = uniformAt(seed, 2 * index) + (1.0f / 33554432.0f);  // shift off zero so log is finite
  float u2 = uniformAt(seed, 2 * index + 1);
  return sqrtf(-2.0f * logf(u1)) * cosf(6.28318530717958647692f * u2);
}

// x*y and x+y each rounded to float32 on its own. Compilers contract a + b*c into one fused multiply-add (nvcc does by
// default, GCC/Clang do on targets with FMA), which rounds once and changes the last bit; these forms forbid that.
TN_HD float mulRounded(float x, float y) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(x, y);
#else
  volatile float p = x * y;  // the store forces the rounding before any following add
  return p;
#endif
}
TN_HD float addRounded(float x, float y) {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(x, y);
#else
  return x + y;
#endif
}

// random_uniform's value: low + (high - low) * u, rounded after each operation (bit-identical on CPU and GPU).
TN_HD float uniformValue(uint64_t seed, uint64_t index, float low, float high) {
  return addRounded(low, mulRounded(high - low, uniformAt(seed, index)));
}
// random_normal's value: mean + std * z. z uses logf/cosf, whose last bits differ between libm and CUDA (KERNELS.md).
TN_HD float normalValue(uint64_t seed, uint64_t index, float mean, float std) {
  return addRounded(mean, mulRounded(std, normalAt(seed, index)));
}

}  // namespace tn
