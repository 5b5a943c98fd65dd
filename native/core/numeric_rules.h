// Numeric edge rules that the CPU and CUDA kernels must apply identically (KERNELS.md "Numeric rules").
#pragma once
#include <cstdint>

#include "hd.h"

namespace tn {
namespace rules {

// float -> int32 (cast, fill, arange): truncate toward zero; NaN -> 0; values beyond the int32 range (±inf included)
// saturate to INT32_MIN / INT32_MAX. Written out so no out-of-range conversion (undefined behaviour in C++) happens.
TN_HD int32_t toInt32(double v) {
  if (v != v) return 0;
  if (v >= 2147483647.0) return INT32_MAX;
  if (v <= -2147483648.0) return INT32_MIN;
  return static_cast<int32_t>(v);
}
TN_HD int32_t toInt32(float v) { return toInt32(static_cast<double>(v)); }

// Binary cross-entropy's log clamp (as PyTorch): log values below -100 become -100, NaN stays NaN.
// (fmaxf/std::fmax would turn NaN into -100; the comparison form keeps it.)
TN_HD float clampLog(float v) { return v < -100.f ? -100.f : v; }

// arange's element i: start + step*i in double, each operation rounded on its own (no FMA contraction) on both backends.
TN_HD double arangeValue(double start, double step, int64_t i) {
#if defined(__CUDA_ARCH__)
  return __dadd_rn(start, __dmul_rn(step, static_cast<double>(i)));
#else
  volatile double p = step * static_cast<double>(i);
  return start + p;
#endif
}

}  // namespace rules
}  // namespace tn
