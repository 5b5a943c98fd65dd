// Device-side helpers for the .cu kernel files: grid-stride loops, strided offsets, block reductions.
#pragma once
#include <cuda_runtime.h>

#include "cuda_common.h"

namespace tn {
namespace cuda {

// for (int64_t i ...) over [0, n) spread across the whole grid; 64-bit so tensors past 2^31 elements work.
#define TN_GRID_LOOP(i, n)                                                          \
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); \
       i += static_cast<int64_t>(blockDim.x) * gridDim.x)

// Offsets of linear output element `i` into each operand of an indexer.
template <int N>
__device__ __forceinline__ void stridedOffsets(const StridedIndexer<N>& ix, int64_t i, int64_t (&off)[N]) {
#pragma unroll
  for (int k = 0; k < N; ++k) off[k] = 0;
#pragma unroll
  for (int d = kMaxDims - 1; d >= 0; --d) {
    if (d >= ix.rank) continue;
    int64_t c = i % ix.shape[d];
    i /= ix.shape[d];
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] += c * ix.strides[k][d];
  }
}

// Combines one value per thread of a block; the result is valid in every thread. `shared` holds 32 floats.
template <typename Combine>
__device__ __forceinline__ float blockReduce(float v, float* shared, Combine combine) {
  for (int o = 16; o > 0; o >>= 1) v = combine(v, __shfl_xor_sync(0xffffffffu, v, o));
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
  __syncthreads();  // shared may still be read by a previous call
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  v = shared[0];
  for (int w = 1; w < warps; ++w) v = combine(v, shared[w]);
  return v;
}

// Records a data error found on the device (first one wins); the host turns it into a Status at the next sync/read.
__device__ __forceinline__ void reportError(DeviceReport* r, int code, int value, int limit, long long position) {
  if (atomicCAS(&r->set, 0, -1) != 0) return;
  r->code = code;
  r->value = value;
  r->limit = limit;
  r->position = position;
  __threadfence_system();
  atomicExch(&r->set, 1);
}

struct SumCombine {
  __device__ float operator()(float a, float b) const { return a + b; }
};
struct ProdCombine {
  __device__ float operator()(float a, float b) const { return a * b; }
};
// NaN-propagating, like the CPU reductions (once NaN, stays NaN).
struct MaxCombine {
  __device__ float operator()(float a, float b) const { return (b > a || b != b) ? b : a; }
};
struct MinCombine {
  __device__ float operator()(float a, float b) const { return (b < a || b != b) ? b : a; }
};

}  // namespace cuda
}  // namespace tn
