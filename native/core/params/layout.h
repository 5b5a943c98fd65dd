// Attr reading and shape checks of the layout kernels (transpose, concat, slice, pad), shared by CPU and CUDA.
#pragma once
#include <cstdint>
#include <vector>

#include "../kernel.h"

namespace tn {

// Checks arity, dtypes and that `perm` is a permutation mapping x's shape onto out's.
Status readTransposeParams(const KernelContext& ctx, std::vector<int64_t>& perm);
// Checks the inputs against out (same dtype and rank, equal off `axis`, summing to out along it); sets the axis.
Status readConcatParams(const KernelContext& ctx, int& axis);
// Checks arity, dtypes and that the window [begin, begin + out.shape) lies inside x.
Status readSliceParams(const KernelContext& ctx, std::vector<int64_t>& begin);
// Checks arity, dtypes and that x placed at `before` fits inside out; `fillWord` is the fill value's 32-bit pattern
// in out's dtype.
Status readPadParams(const KernelContext& ctx, std::vector<int64_t>& before, uint32_t& fillWord);

}  // namespace tn
