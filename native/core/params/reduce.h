// Attr reading and shape analysis of the reduction kernels (reduce_*, reduce_select_backward, argmax), shared by CPU
// and CUDA.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "../kernel.h"

namespace tn {

// Reads and checks `axes` (sorted, unique, in range) into a per-dim flag.
Status readReduceAxes(const KernelContext& ctx, int rank, std::vector<bool>& reduced);

// x seen as runs of kept and reduced dims: size-1 dims dropped, neighbours of the same kind merged (contiguous, so
// they fold into one dim). groups[i] = {size, reduced?}, outermost first.
struct ReduceGroups {
  std::vector<std::pair<int64_t, bool>> groups;
  int64_t outN = 1, redN = 1;  // output size and elements per output
};
ReduceGroups mergeReduceGroups(const Shape& shape, const std::vector<bool>& reduced);

// argmax over `axis` of x [outer, mid, inner] into out (outer*inner int32 indices).
struct ArgmaxParams {
  int axis = 0;
  int64_t outer = 1, mid = 1, inner = 1;
  bool empty = false;  // out has no elements: nothing to do (and mid is not checked)
};
// Checks arity, dtypes (x f32, out i32), the axis, out's size, and a non-empty axis that int32 indices can address.
Status readArgmaxParams(const KernelContext& ctx, ArgmaxParams& p);

}  // namespace tn
