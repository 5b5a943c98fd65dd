// Shared by all CUDA backend files: CUDA error -> Status conversion, the backend a kernel runs on, launch sizing.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <vector>

#include "../core/kernel.h"

namespace tn {
namespace cuda {

class CudaBackend;

// What a kernel that validates data on the device (one_hot, cross-entropy labels, gather/scatter indices) reports back. Lives in mapped
// pinned host memory: kernels write it directly, the host reads it once the stream has passed those kernels.
struct DeviceReport {
  int set;         // 0 = nothing to report; claimed with atomicCAS so the first report wins
  int code;        // which check failed (DeviceCheck)
  int value;       // the offending value
  int limit;       // the allowed range was [0, limit)
  long long position;  // element index of the offending value
};
enum DeviceCheck : int { kCheckOneHotIndex = 1, kCheckLabelIndex = 2, kCheckGatherIndex = 3 };
// The report block of the kernel's device (a device pointer into mapped pinned memory).
DeviceReport* deviceReportOf(const KernelContext& ctx);

// Converts a CUDA runtime error into a Status naming the op and the call; allocation failures become OutOfMemory.
Status cudaError(cudaError_t err, const char* op, const char* call);

// Returns from the enclosing function with a Status when a CUDA runtime call fails.
#define TN_CUDA_RETURN(expr, op)                                               \
  do {                                                                         \
    cudaError_t tn_cuda_err_ = (expr);                                         \
    if (tn_cuda_err_ != cudaSuccess) return ::tn::cuda::cudaError(tn_cuda_err_, (op), #expr); \
  } while (0)

// After a kernel launch: reports a launch failure (bad configuration, no device) as a Status.
Status launchStatus(const char* op);

// The CUDA backend a kernel was queued on, and its stream.
CudaBackend* backendOf(const KernelContext& ctx);
cudaStream_t streamOf(const KernelContext& ctx);

// A stream-ordered scratch buffer on the kernel's device, freed (stream-ordered) when the StoragePtr goes.
Status scratch(const KernelContext& ctx, size_t nbytes, StoragePtr& out);

// Global switches set from JS (backendInfo/setTF32/setCudnnBenchmark).
bool tf32Enabled();
bool cudnnBenchmarkEnabled();

// Versions and compatibility of the loaded libraries (defined in cudnn_ops.cc and cublas_matmul.cc).
size_t cudnnRuntimeVersion();
// Ok when the loaded libcudnn has the major version the addon was compiled against.
Status cudnnCheckRuntime();
int cublasRuntimeVersion();

// Launch sizing for grid-stride loops: enough blocks to fill the GPU, never more than the work needs.
constexpr int kBlock = 256;
inline unsigned gridFor(int64_t n, int block = kBlock) {
  int64_t blocks = (n + block - 1) / block;
  if (blocks < 1) blocks = 1;
  return static_cast<unsigned>(blocks > 65535 * 8 ? 65535 * 8 : blocks);
}

// Up to this many dims are passed to kernels by value (after merging dims that can be merged).
constexpr int kMaxDims = 8;

// A shape and per-operand strides passed by value to kernels; `rank` dims used, outermost first.
template <int N>
struct StridedIndexer {
  int rank = 0;
  int64_t shape[kMaxDims] = {};
  int64_t strides[N][kMaxDims] = {};
};

// Builds an indexer for out[i] = f(in_k[offset_k(i)]) where in_k has `strides[k]` (0 where broadcast) over `shape`.
// Merges adjacent dims whose strides are contiguous for every operand and drops size-1 dims, so most calls become
// rank 1 or 2. Fails (Shape) only when more than kMaxDims dims remain.
template <int N>
Status makeIndexer(const char* op, const Shape& shape, const std::vector<Shape>& strides, StridedIndexer<N>& out) {
  std::vector<int64_t> sh;
  std::vector<std::vector<int64_t>> st(N);
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    bool merge = !sh.empty();
    for (int k = 0; k < N && merge; ++k) merge = st[k].back() == strides[k][d] * shape[d];
    if (merge) {
      sh.back() *= shape[d];
      for (int k = 0; k < N; ++k) st[k].back() = strides[k][d];
    } else {
      sh.push_back(shape[d]);
      for (int k = 0; k < N; ++k) st[k].push_back(strides[k][d]);
    }
  }
  TN_CHECK(sh.size() <= static_cast<size_t>(kMaxDims), Shape, op, ": shape ", shapeStr(shape),
           " needs more than ", kMaxDims, " dims after merging, which the CUDA kernels do not support");
  out.rank = static_cast<int>(sh.size());
  for (int d = 0; d < out.rank; ++d) {
    out.shape[d] = sh[d];
    for (int k = 0; k < N; ++k) out.strides[k][d] = st[k][d];
  }
  return Status::ok();
}

}  // namespace cuda
}  // namespace tn
