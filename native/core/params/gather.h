// Attr reading and argument checks of the indexing kernels (gather, scatter_add, cumsum, topk), shared by CPU and CUDA.
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {

// gather: x [outer, n, inner] (any dtype), indices int32 (m values) -> y [outer, m, inner]; attr axis.
// scatter_add: dy [outer, m, inner], indices (m values) -> dx [outer, n, inner], dx = 0 then dx[o, idx[j], i] += dy.
struct GatherParams {
  int64_t outer = 1, n = 1, inner = 1, m = 0;
};
Status readGatherParams(const KernelContext& ctx, GatherParams& p);
Status readScatterAddParams(const KernelContext& ctx, GatherParams& p);

// cumsum along `axis` of x [outer, mid, inner] (float32 or int32); attrs exclusive, reverse (0/1).
struct CumsumParams {
  int64_t outer = 1, mid = 1, inner = 1;
  bool exclusive = false, reverse = false;
};
Status readCumsumParams(const KernelContext& ctx, CumsumParams& p);

// topk over the last dim of x [rows, n] (float32 or int32): values [rows, k] in x's dtype, indices int32 [rows, k];
// largest first, ties by lower index.
struct TopkParams {
  int64_t rows = 0, n = 0, k = 0;
};
Status readTopkParams(const KernelContext& ctx, TopkParams& p);

}  // namespace tn
