// The int32 range rule shared by the creation and layout readers: what may be written into an int32 tensor.
#pragma once
#include <cmath>

#include "../kernel.h"

namespace tn {

// A value stored into int32 is truncated toward zero; it must be finite and land in [-2^31, 2^31 - 1]
// (KERNELS.md). Checked before any static_cast<int32_t>, which is undefined behaviour outside that range.
inline Status checkInt32Value(const KernelContext& ctx, const char* what, double v) {
  TN_CHECK(std::isfinite(v) && v > -2147483649.0 && v < 2147483648.0, Value, ctx.op, ": ", what, " ", v,
           " is outside the int32 range [-2147483648, 2147483647]");
  return Status::ok();
}

}  // namespace tn
