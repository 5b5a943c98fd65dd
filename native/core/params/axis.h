// Axis helpers shared by the CPU and CUDA kernels: normalising an axis attr and the [outer, mid, inner] split.
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {

// Product of shape[b, e), 0 when a dim there is 0. A product past int64 can only come from a tensor that is empty
// through another dim (napi bounds every non-empty shape), so it is 0 too: no loop runs, and no UB (libFuzzer).
inline int64_t dimProduct(const Shape& shape, size_t b, size_t e) {
  for (size_t d = b; d < e; ++d)
    if (shape[d] == 0) return 0;
  int64_t p = 1;
  for (size_t d = b; d < e; ++d)
    if (__builtin_mul_overflow(p, shape[d], &p)) return 0;
  return p;
}

// Splits an axis view of `shape` into [outer, axis, inner] sizes (for softmax, argmax, concat...).
inline void splitAtAxis(const Shape& shape, int axis, int64_t& outer, int64_t& mid, int64_t& inner) {
  outer = dimProduct(shape, 0, static_cast<size_t>(axis));
  mid = shape[axis];
  inner = dimProduct(shape, static_cast<size_t>(axis) + 1, shape.size());
}

// Normalises a possibly negative axis against `rank`, failing with the op's name.
inline Status normalizeAxis(const KernelContext& ctx, int64_t axis, int rank, int& out) {
  TN_CHECK(axis >= -rank && axis < rank, Value, ctx.op, ": axis ", axis, " is out of range for rank ", rank);
  out = static_cast<int>(axis < 0 ? axis + rank : axis);
  return Status::ok();
}

}  // namespace tn
