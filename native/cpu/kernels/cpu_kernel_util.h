// Helpers shared by CPU kernels: typed element loops over contiguous data and broadcast-aware index walking.
#pragma once
#include <cstdint>
#include <vector>

#include "../../core/kernel.h"
#include "../../core/params/axis.h"  // splitAtAxis, normalizeAxis
#include "../thread_pool.h"

namespace tn {
namespace cpu {

constexpr int64_t kElementwiseGrain = 16384;  // elements per parallel chunk: below this, threading costs more than it saves

// Walks output elements [begin, end) of `outShape`, tracking the matching offset into each broadcast input.
template <int N>
struct BroadcastWalker {
  Shape shape;
  Shape strides[N];
  std::vector<int64_t> index;
  int64_t offset[N] = {};

  BroadcastWalker(const Shape& outShape, const Shape* inShapes, int64_t start) : shape(outShape), index(outShape.size(), 0) {
    for (int k = 0; k < N; ++k) strides[k] = broadcastStrides(inShapes[k], outShape);
    int64_t rem = start;
    for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
      index[d] = shape[d] ? rem % shape[d] : 0;
      rem = shape[d] ? rem / shape[d] : 0;
      for (int k = 0; k < N; ++k) offset[k] += index[d] * strides[k][d];
    }
  }
  void next() {
    for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
      ++index[d];
      for (int k = 0; k < N; ++k) offset[k] += strides[k][d];
      if (index[d] < shape[d]) return;
      for (int k = 0; k < N; ++k) offset[k] -= strides[k][d] * shape[d];
      index[d] = 0;
    }
  }
};

}  // namespace cpu
}  // namespace tn
