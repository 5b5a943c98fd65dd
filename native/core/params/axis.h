// Axis helpers shared by the CPU and CUDA kernels: normalising an axis attr and the [outer, mid, inner] split.
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {

// Splits an axis view of `shape` into [outer, axis, inner] sizes (for softmax, argmax, concat...).
inline void splitAtAxis(const Shape& shape, int axis, int64_t& outer, int64_t& mid, int64_t& inner) {
  outer = 1;
  inner = 1;
  for (int d = 0; d < axis; ++d) outer *= shape[d];
  mid = shape[axis];
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
}

// Normalises a possibly negative axis against `rank`, failing with the op's name.
inline Status normalizeAxis(const KernelContext& ctx, int64_t axis, int rank, int& out) {
  TN_CHECK(axis >= -rank && axis < rank, Value, ctx.op, ": axis ", axis, " is out of range for rank ", rank);
  out = static_cast<int>(axis < 0 ? axis + rank : axis);
  return Status::ok();
}

}  // namespace tn
