// CUDA matmul through cuBLAS: batched row-major GEMM with broadcast batch dims, optional TF32 tensor-core math.
#include <cublas_v2.h>

#include <climits>

#include "../core/params/matmul.h"
#include "cublas_gemm.h"
#include "cuda_backend.h"

namespace tn {
namespace cuda {

namespace {

constexpr int kMaxDevices = 64;
// cuBLAS's recommended workspace on Hopper; set explicitly so the handle never allocates behind the stream's back.
constexpr size_t kCublasWorkspaceBytes = 32ull << 20;

const char* cublasName(cublasStatus_t s) {
  switch (s) {
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
    default: return "unknown cuBLAS status";
  }
}

Status cublasError(cublasStatus_t s, const char* op, const char* call) {
  ErrorKind kind = s == CUBLAS_STATUS_ALLOC_FAILED ? ErrorKind::OutOfMemory : ErrorKind::Backend;
  return makeError(kind, op, ": ", call, " failed: ", cublasName(s), " (", static_cast<int>(s), ")");
}

#define TN_CUBLAS_RETURN(expr, op)                                                   \
  do {                                                                               \
    cublasStatus_t tn_cublas_status_ = (expr);                                       \
    if (tn_cublas_status_ != CUBLAS_STATUS_SUCCESS) return cublasError(tn_cublas_status_, (op), #expr); \
  } while (0)

// One handle per device, bound to the backend's stream; created on first use under the backend's launch lock.
struct CublasDevice {
  cublasHandle_t handle = nullptr;
  StoragePtr workspace;
};

Status cublasFor(const KernelContext& ctx, cublasHandle_t& out) {
  static auto* devices = new CublasDevice[kMaxDevices];  // never destroyed: handles are used until process exit
  CudaBackend* backend = backendOf(ctx);
  TN_CHECK(backend->index() < kMaxDevices, Device, ctx.op, ": cuda:", backend->index(), " is beyond the supported ",
           kMaxDevices, " devices");
  CublasDevice& d = devices[backend->index()];
  if (!d.handle) {
    cublasHandle_t h = nullptr;
    TN_CUBLAS_RETURN(cublasCreate(&h), ctx.op.c_str());
    // SetStream resets the workspace to cuBLAS's own pool, so the explicit workspace is set after it.
    TN_CUBLAS_RETURN(cublasSetStream(h, backend->stream()), ctx.op.c_str());
    StoragePtr ws;
    TN_RETURN_IF_ERROR(backend->allocate(kCublasWorkspaceBytes, ws));
    TN_CUBLAS_RETURN(cublasSetWorkspace(h, ws->data(), kCublasWorkspaceBytes), ctx.op.c_str());
    d.workspace = ws;
    d.handle = h;
  }
  out = d.handle;
  return Status::ok();
}

// Row-major C[M,N] = op(A) op(B) for `count` matrices, computed as column-major C^T = op(B)^T op(A)^T.
Status gemmBatched(cublasHandle_t h, const char* op, bool tA, bool tB, int64_t M, int64_t N, int64_t K, const float* A,
                   int64_t strideA, const float* B, int64_t strideB, float* C, int64_t strideC, int64_t count) {
  const float alpha = 1.f, beta = 0.f;
  const int lda = static_cast<int>(tA ? M : K), ldb = static_cast<int>(tB ? K : N);
  constexpr int64_t kMaxBatch = 65535;  // keep each launch's batch within every cuBLAS kernel's grid limits
  for (int64_t start = 0; start < count; start += kMaxBatch) {
    int chunk = static_cast<int>(count - start < kMaxBatch ? count - start : kMaxBatch);
    TN_CUBLAS_RETURN(cublasSgemmStridedBatched(h, tB ? CUBLAS_OP_T : CUBLAS_OP_N, tA ? CUBLAS_OP_T : CUBLAS_OP_N,
                                               static_cast<int>(N), static_cast<int>(M), static_cast<int>(K), &alpha,
                                               B + start * strideB, ldb, strideB, A + start * strideA, lda, strideA,
                                               &beta, C + start * strideC, static_cast<int>(N), strideC, chunk),
                     op);
  }
  return Status::ok();
}

Status matmulKernel(KernelContext& ctx) {
  bool tA = false, tB = false;
  TN_RETURN_IF_ERROR(readMatmulAttrs(ctx, tA, tB));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &y = ctx.out(0);
  TN_CHECK(a.rank() >= 2 && b.rank() >= 2 && y.rank() >= 2, Shape, "matmul: a ", shapeStr(a.shape), ", b ",
           shapeStr(b.shape), " and out ", shapeStr(y.shape), " must have rank >= 2");
  const int64_t M = tA ? a.dim(-1) : a.dim(-2), K = tA ? a.dim(-2) : a.dim(-1);
  const int64_t Kb = tB ? b.dim(-1) : b.dim(-2), N = tB ? b.dim(-2) : b.dim(-1);
  TN_CHECK(K == Kb, Shape, "matmul: inner dimensions differ: a ", shapeStr(a.shape), (tA ? " (transposed)" : ""),
           " has ", K, ", b ", shapeStr(b.shape), (tB ? " (transposed)" : ""), " has ", Kb);
  TN_CHECK(y.dim(-2) == M && y.dim(-1) == N, Shape, "matmul: out ", shapeStr(y.shape), " must end in [", M, ",", N, "]");
  const Shape aB(a.shape.begin(), a.shape.end() - 2), bB(b.shape.begin(), b.shape.end() - 2),
      yB(y.shape.begin(), y.shape.end() - 2);
  TN_CHECK(broadcastsTo(aB, yB) && broadcastsTo(bB, yB), Shape, "matmul: batch dims of a ", shapeStr(a.shape),
           " and b ", shapeStr(b.shape), " do not broadcast to out ", shapeStr(y.shape));
  TN_CHECK(M <= INT_MAX && N <= INT_MAX && K <= INT_MAX, Shape, "matmul: matrix dims ", M, "x", K, " * ", K, "x", N,
           " exceed cuBLAS's 32-bit limit");
  if (y.size() == 0) return Status::ok();
  cudaStream_t stream = streamOf(ctx);
  if (K == 0) {  // empty sum: y = 0
    TN_CUDA_RETURN(cudaMemsetAsync(y.storage->data(), 0, y.size() * sizeof(float), stream), "matmul");
    return Status::ok();
  }

  cublasHandle_t h = nullptr;
  TN_RETURN_IF_ERROR(cublasFor(ctx, h));
  // TF32 is off by default (full float32 products, matching the CPU backend); setTF32(true) enables tensor cores.
  TN_CUBLAS_RETURN(cublasSetMathMode(h, tf32Enabled() ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH), "matmul");

  // Per-batch-dim strides of each operand in elements (0 where a or b is broadcast), merged where contiguous.
  Shape stA = broadcastStrides(aB, yB), stB = broadcastStrides(bB, yB), stY = contiguousStrides(yB);
  for (auto& s : stA) s *= M * K;
  for (auto& s : stB) s *= K * N;
  for (auto& s : stY) s *= M * N;
  StridedIndexer<3> ix;
  TN_RETURN_IF_ERROR(makeIndexer<3>("matmul", yB, {stA, stB, stY}, ix));
  const float *pa = a.data<float>(), *pb = b.data<float>();
  float* py = y.data<float>();
  if (ix.rank == 0) return gemmBatched(h, "matmul", tA, tB, M, N, K, pa, 0, pb, 0, py, 0, 1);

  const int last = ix.rank - 1;
  const int64_t count = ix.shape[last];
  const int64_t sA = ix.strides[0][last], sB = ix.strides[1][last], sY = ix.strides[2][last];
  // One shared B and a stack of untransposed A: a single [count*M, K] x [K, N] GEMM is faster than a batch.
  if (ix.rank == 1 && sB == 0 && !tA && sA == M * K && count * M <= INT_MAX)
    return gemmBatched(h, "matmul", false, tB, count * M, N, K, pa, 0, pb, 0, py, 0, 1);
  // Outer batch dims (broadcast in ways one stride cannot express) loop on the host; the last one is batched.
  int64_t outer = 1;
  for (int d = 0; d < last; ++d) outer *= ix.shape[d];
  for (int64_t o = 0; o < outer; ++o) {
    int64_t offA = 0, offB = 0, offY = 0, rem = o;
    for (int d = last - 1; d >= 0; --d) {
      int64_t c = rem % ix.shape[d];
      rem /= ix.shape[d];
      offA += c * ix.strides[0][d];
      offB += c * ix.strides[1][d];
      offY += c * ix.strides[2][d];
    }
    TN_RETURN_IF_ERROR(gemmBatched(h, "matmul", tA, tB, M, N, K, pa + offA, sA, pb + offB, sB, py + offY, sY, count));
  }
  return Status::ok();
}

TN_REGISTER_KERNEL(DeviceType::CUDA, "matmul", matmulKernel);

}  // namespace

Status gemmRowMajor(const KernelContext& ctx, bool tA, bool tB, int64_t M, int64_t N, int64_t K, float alpha,
                    const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  TN_CHECK(M <= INT_MAX && N <= INT_MAX && K <= INT_MAX && lda <= INT_MAX && ldb <= INT_MAX && ldc <= INT_MAX, Shape,
           ctx.op, ": GEMM dims ", M, "x", K, " * ", K, "x", N, " exceed cuBLAS's 32-bit limit");
  cublasHandle_t h = nullptr;
  TN_RETURN_IF_ERROR(cublasFor(ctx, h));
  TN_CUBLAS_RETURN(cublasSetMathMode(h, tf32Enabled() ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH), ctx.op.c_str());
  // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T.
  TN_CUBLAS_RETURN(cublasSgemm(h, tB ? CUBLAS_OP_T : CUBLAS_OP_N, tA ? CUBLAS_OP_T : CUBLAS_OP_N, static_cast<int>(N),
                               static_cast<int>(M), static_cast<int>(K), &alpha, B, static_cast<int>(ldb), A,
                               static_cast<int>(lda), &beta, C, static_cast<int>(ldc)),
                   ctx.op.c_str());
  return Status::ok();
}

int cublasRuntimeVersion() {
  int major = 0, minor = 0, patch = 0;
  if (cublasGetProperty(MAJOR_VERSION, &major) != CUBLAS_STATUS_SUCCESS) return 0;
  cublasGetProperty(MINOR_VERSION, &minor);
  cublasGetProperty(PATCH_LEVEL, &patch);
  return major * 10000 + minor * 100 + patch;  // the CUBLAS_VERSION encoding
}

}  // namespace cuda
}  // namespace tn
