// Every cuDNN call of the addon (kept in this one file so a move to the cuDNN graph API stays local): NHWC conv2d
// forward/backward-data/backward-filter and 2-D pooling, with cached algorithm choices and bounded workspaces.
#include <cudnn.h>

#include <algorithm>
#include <climits>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "../core/params/bias_act.h"
#include "bias_act.h"
#include "cuda_backend.h"
#include "layout.h"
#include "pool.h"

namespace tn {
namespace cuda {

namespace {

constexpr int kMaxDevices = 64;
// Algorithms that need more scratch than this are skipped: a bigger workspace rarely pays and risks OOM mid-training.
constexpr size_t kWorkspaceLimit = 1ull << 30;

Status cudnnError(cudnnStatus_t s, const char* op, const char* call) {
  ErrorKind kind = s == CUDNN_STATUS_ALLOC_FAILED ? ErrorKind::OutOfMemory : ErrorKind::Backend;
  return makeError(kind, op, ": ", call, " failed: ", cudnnGetErrorString(s), " (", static_cast<int>(s), ")");
}

#define TN_CUDNN_RETURN(expr, op)                                                  \
  do {                                                                             \
    cudnnStatus_t tn_cudnn_status_ = (expr);                                       \
    if (tn_cudnn_status_ != CUDNN_STATUS_SUCCESS) return cudnnError(tn_cudnn_status_, (op), #expr); \
  } while (0)

// One handle per device, bound to the backend's stream; created on first use under the backend's launch lock.
Status cudnnFor(const KernelContext& ctx, cudnnHandle_t& out) {
  static auto* handles = new cudnnHandle_t[kMaxDevices]();  // never destroyed: used until process exit
  CudaBackend* backend = backendOf(ctx);
  TN_CHECK(backend->index() < kMaxDevices, Device, ctx.op, ": cuda:", backend->index(), " is beyond the supported ",
           kMaxDevices, " devices");
  cudnnHandle_t& h = handles[backend->index()];
  if (!h) {
    cudnnHandle_t created = nullptr;
    TN_CUDNN_RETURN(cudnnCreate(&created), ctx.op.c_str());
    TN_CUDNN_RETURN(cudnnSetStream(created, backend->stream()), ctx.op.c_str());
    h = created;
  }
  out = h;
  return Status::ok();
}

// RAII owners of cuDNN descriptors (destroyed on every return path).
struct TensorDesc {
  cudnnTensorDescriptor_t d = nullptr;
  ~TensorDesc() { if (d) cudnnDestroyTensorDescriptor(d); }
  // An NHWC float tensor of n images of h x w x c.
  Status nhwc(const char* op, int64_t n, int64_t h, int64_t w, int64_t c) {
    TN_CHECK(n <= INT_MAX && h <= INT_MAX && w <= INT_MAX && c <= INT_MAX, Shape, op, ": image dims exceed cuDNN's limits");
    TN_CUDNN_RETURN(cudnnCreateTensorDescriptor(&d), op);
    TN_CUDNN_RETURN(cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, static_cast<int>(n),
                                               static_cast<int>(c), static_cast<int>(h), static_cast<int>(w)), op);
    return Status::ok();
  }
};
struct FilterDesc {
  cudnnFilterDescriptor_t d = nullptr;
  ~FilterDesc() { if (d) cudnnDestroyFilterDescriptor(d); }
  // [O, kh, kw, C]: cuDNN's NHWC filter layout (KRSC).
  Status ohwi(const char* op, int64_t o, int64_t kh, int64_t kw, int64_t c) {
    TN_CUDNN_RETURN(cudnnCreateFilterDescriptor(&d), op);
    TN_CUDNN_RETURN(cudnnSetFilter4dDescriptor(d, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NHWC, static_cast<int>(o),
                                               static_cast<int>(c), static_cast<int>(kh), static_cast<int>(kw)), op);
    return Status::ok();
  }
};
struct ConvDesc {
  cudnnConvolutionDescriptor_t d = nullptr;
  ~ConvDesc() { if (d) cudnnDestroyConvolutionDescriptor(d); }
};
struct PoolDesc {
  cudnnPoolingDescriptor_t d = nullptr;
  ~PoolDesc() { if (d) cudnnDestroyPoolingDescriptor(d); }
};

// ---- convolution ----

enum class ConvKind { Forward, BackwardData, BackwardFilter };

// The geometry of one call plus how it maps onto cuDNN: cuDNN pads symmetrically, so asymmetric pads (e.g. 'same'
// with an even kernel) pad the input explicitly by the excess (extraTop/Bottom/Left/Right) into a temporary and
// convolve that with the symmetric part (padH, padW).
struct ConvPlan {
  WindowGeometry g;
  int64_t O = 0;
  int64_t padH = 0, padW = 0;
  int64_t extraTop = 0, extraBottom = 0, extraLeft = 0, extraRight = 0;
  bool explicitPad() const { return extraTop || extraBottom || extraLeft || extraRight; }
  int64_t Hp() const { return g.H + extraTop + extraBottom; }
  int64_t Wp() const { return g.W + extraLeft + extraRight; }
};

// Reads the attrs and checks every shape; `image` is x (or dx) and `filter` is w (or dw), `out` is y (or dy).
Status makeConvPlan(const KernelContext& ctx, const TensorArg& image, const TensorArg& filter, const TensorArg& out,
                    ConvPlan& p) {
  TN_RETURN_IF_ERROR(checkImage(ctx, image, "x"));
  TN_RETURN_IF_ERROR(checkImage(ctx, out, "y"));
  TN_RETURN_IF_ERROR(checkDType(ctx, filter, DType::Float32, "w"));
  TN_CHECK(filter.rank() == 4, Shape, ctx.op, ": w must be [O, kh, kw, C], got ", shapeStr(filter.shape));
  p.g.kh = filter.dim(1);
  p.g.kw = filter.dim(2);
  TN_RETURN_IF_ERROR(readWindowAttrs(ctx, true, p.g));
  TN_RETURN_IF_ERROR(finishGeometry(ctx, image.shape, p.g));
  p.O = filter.dim(0);
  TN_CHECK(filter.dim(3) == p.g.C, Shape, ctx.op, ": w ", shapeStr(filter.shape), " has ", filter.dim(3),
           " input channels, x ", shapeStr(image.shape), " has ", p.g.C);
  TN_RETURN_IF_ERROR(checkShapeIs(ctx, out, Shape{p.g.N, p.g.OH, p.g.OW, p.O}, "y"));
  p.padH = std::min(p.g.padTop, p.g.padBottom);
  p.padW = std::min(p.g.padLeft, p.g.padRight);
  p.extraTop = p.g.padTop - p.padH;
  p.extraBottom = p.g.padBottom - p.padH;
  p.extraLeft = p.g.padLeft - p.padW;
  p.extraRight = p.g.padRight - p.padW;
  TN_CHECK(p.padH <= INT_MAX && p.padW <= INT_MAX && p.g.sh <= INT_MAX && p.g.sw <= INT_MAX && p.g.dh <= INT_MAX &&
               p.g.dw <= INT_MAX && p.O <= INT_MAX && p.g.kh <= INT_MAX && p.g.kw <= INT_MAX,
           Shape, ctx.op, ": convolution parameters exceed cuDNN's limits");
  return Status::ok();
}

// Descriptors for the (possibly explicitly padded) problem.
struct ConvDescs {
  TensorDesc x, y;
  FilterDesc w;
  ConvDesc conv;
};

Status makeConvDescs(const char* op, const ConvPlan& p, ConvDescs& d) {
  TN_RETURN_IF_ERROR(d.x.nhwc(op, p.g.N, p.Hp(), p.Wp(), p.g.C));
  TN_RETURN_IF_ERROR(d.y.nhwc(op, p.g.N, p.g.OH, p.g.OW, p.O));
  TN_RETURN_IF_ERROR(d.w.ohwi(op, p.O, p.g.kh, p.g.kw, p.g.C));
  TN_CUDNN_RETURN(cudnnCreateConvolutionDescriptor(&d.conv.d), op);
  TN_CUDNN_RETURN(cudnnSetConvolution2dDescriptor(d.conv.d, static_cast<int>(p.padH), static_cast<int>(p.padW),
                                                  static_cast<int>(p.g.sh), static_cast<int>(p.g.sw),
                                                  static_cast<int>(p.g.dh), static_cast<int>(p.g.dw),
                                                  CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT), op);
  // TF32 off (default): FMA math only, full float32 like the CPU. On: cuDNN may use TF32 tensor cores.
  TN_CUDNN_RETURN(cudnnSetConvolutionMathType(d.conv.d, tf32Enabled() ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH), op);
  int n = 0, c = 0, h = 0, w = 0;
  TN_CUDNN_RETURN(cudnnGetConvolution2dForwardOutputDim(d.conv.d, d.x.d, d.w.d, &n, &c, &h, &w), op);
  TN_CHECK(n == p.g.N && c == p.O && h == p.g.OH && w == p.g.OW, Internal, op, ": cuDNN computes output [", n, ",", h,
           ",", w, ",", c, "], expected [", p.g.N, ",", p.g.OH, ",", p.g.OW, ",", p.O, "]");
  return Status::ok();
}

struct AlgoChoice {
  int algo = 0;
  size_t workspace = 0;
  cudnnMathType_t math = CUDNN_DEFAULT_MATH;
};

std::string convKey(ConvKind kind, int device, const ConvPlan& p) {
  std::ostringstream os;
  os << static_cast<int>(kind) << '|' << device << '|' << p.g.N << ',' << p.Hp() << ',' << p.Wp() << ',' << p.g.C
     << '|' << p.O << ',' << p.g.kh << ',' << p.g.kw << '|' << p.padH << ',' << p.padW << ',' << p.g.sh << ','
     << p.g.sw << ',' << p.g.dh << ',' << p.g.dw << '|' << tf32Enabled() << cudnnBenchmarkEnabled();
  return os.str();
}

// The math type a candidate runs with. TF32 off: always CUDNN_FMA_MATH, because CUDNN_DEFAULT_MATH lets cuDNN pick
// TF32 tensor-core kernels for float32 on sm_80+ (PyTorch does the same with allow_tf32 off).
cudnnMathType_t mathFor(cudnnMathType_t listed) { return tf32Enabled() ? listed : CUDNN_FMA_MATH; }

// Every acceptable candidate (cuDNN lists them best first): succeeded in the query, fits the workspace limit, never
// down-converts float32 to half, and uses tensor-op (TF32) math only when the TF32 switch is on. Works for the three
// perf-result types, which share these fields.
template <typename Perf>
void acceptableAlgos(const Perf* perf, int count, std::vector<AlgoChoice>& out) {
  for (int i = 0; i < count; ++i) {
    if (perf[i].status != CUDNN_STATUS_SUCCESS || perf[i].memory > kWorkspaceLimit) continue;
    if (perf[i].mathType == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) continue;
    if (!tf32Enabled() && perf[i].mathType == CUDNN_TENSOR_OP_MATH) continue;
    out.push_back(AlgoChoice{static_cast<int>(perf[i].algo), perf[i].memory, mathFor(perf[i].mathType)});
  }
}

std::map<std::string, AlgoChoice>& algoCache() {
  static auto* cache = new std::map<std::string, AlgoChoice>();  // never destroyed
  return *cache;
}
std::mutex& algoCacheMutex() {
  static auto* m = new std::mutex();
  return *m;
}

// The algorithms to try for one shape, best first: the cached one (an algorithm that already ran for this key), or
// the candidates of the heuristics (default) or of cudnnFind* (benchmark mode). Nothing is cached here: runConv
// caches the first candidate that actually ran, because heuristics do list algorithms that fail at execution.
Status algoCandidates(const KernelContext& ctx, cudnnHandle_t h, ConvKind kind, const ConvDescs& d,
                      const std::string& key, std::vector<AlgoChoice>& out, bool& cached) {
  {
    std::lock_guard<std::mutex> lock(algoCacheMutex());
    auto it = algoCache().find(key);
    cached = it != algoCache().end();
    if (cached) {
      out.push_back(it->second);
      return Status::ok();
    }
  }
  const char* op = ctx.op.c_str();
  const bool bench = cudnnBenchmarkEnabled();
  // cudnnFind* allocates its trial buffers with cudaMalloc: hand the pool's cached memory back first.
  if (bench) TN_RETURN_IF_ERROR(backendOf(ctx)->releaseCachedMemory(op));
  constexpr int kMaxCandidates = 16;
  int returned = 0;
  if (kind == ConvKind::Forward) {
    cudnnConvolutionFwdAlgoPerf_t perf[kMaxCandidates];
    if (bench)
      TN_CUDNN_RETURN(cudnnFindConvolutionForwardAlgorithm(h, d.x.d, d.w.d, d.conv.d, d.y.d, kMaxCandidates, &returned, perf), op);
    else
      TN_CUDNN_RETURN(cudnnGetConvolutionForwardAlgorithm_v7(h, d.x.d, d.w.d, d.conv.d, d.y.d, kMaxCandidates, &returned, perf), op);
    acceptableAlgos(perf, returned, out);
  } else if (kind == ConvKind::BackwardData) {
    cudnnConvolutionBwdDataAlgoPerf_t perf[kMaxCandidates];
    if (bench)
      TN_CUDNN_RETURN(cudnnFindConvolutionBackwardDataAlgorithm(h, d.w.d, d.y.d, d.conv.d, d.x.d, kMaxCandidates, &returned, perf), op);
    else
      TN_CUDNN_RETURN(cudnnGetConvolutionBackwardDataAlgorithm_v7(h, d.w.d, d.y.d, d.conv.d, d.x.d, kMaxCandidates, &returned, perf), op);
    acceptableAlgos(perf, returned, out);
  } else {
    cudnnConvolutionBwdFilterAlgoPerf_t perf[kMaxCandidates];
    if (bench)
      TN_CUDNN_RETURN(cudnnFindConvolutionBackwardFilterAlgorithm(h, d.x.d, d.y.d, d.conv.d, d.w.d, kMaxCandidates, &returned, perf), op);
    else
      TN_CUDNN_RETURN(cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, d.x.d, d.y.d, d.conv.d, d.w.d, kMaxCandidates, &returned, perf), op);
    acceptableAlgos(perf, returned, out);
  }
  TN_CHECK(!out.empty(), Backend, op, ": cuDNN offers no algorithm for this convolution within a ", kWorkspaceLimit >> 20,
           " MiB workspace", tf32Enabled() ? "" : " without TF32", " (", returned, " candidates)");
  return Status::ok();
}

// Queues one convolution pass with one algorithm. y (or dw) = alpha*conv + beta*y (beta 1 accumulates batch chunks).
Status runConvWith(const KernelContext& ctx, cudnnHandle_t h, ConvKind kind, const ConvDescs& d, const AlgoChoice& c,
                   void* x, void* w, void* y, float beta) {
  const char* op = ctx.op.c_str();
  TN_CUDNN_RETURN(cudnnSetConvolutionMathType(d.conv.d, c.math), op);
  StoragePtr workspace;
  if (c.workspace) TN_RETURN_IF_ERROR(scratch(ctx, c.workspace, workspace));
  void* ws = workspace ? workspace->data() : nullptr;
  const float alpha = 1.f;
  if (kind == ConvKind::Forward) {
    TN_CUDNN_RETURN(cudnnConvolutionForward(h, &alpha, d.x.d, x, d.w.d, w, d.conv.d,
                                            static_cast<cudnnConvolutionFwdAlgo_t>(c.algo), ws, c.workspace, &beta,
                                            d.y.d, y), op);
  } else if (kind == ConvKind::BackwardData) {
    TN_CUDNN_RETURN(cudnnConvolutionBackwardData(h, &alpha, d.w.d, w, d.y.d, y, d.conv.d,
                                                 static_cast<cudnnConvolutionBwdDataAlgo_t>(c.algo), ws, c.workspace,
                                                 &beta, d.x.d, x), op);
  } else {
    TN_CUDNN_RETURN(cudnnConvolutionBackwardFilter(h, &alpha, d.x.d, x, d.y.d, y, d.conv.d,
                                                   static_cast<cudnnConvolutionBwdFilterAlgo_t>(c.algo), ws,
                                                   c.workspace, &beta, d.w.d, w), op);
  }
  return Status::ok();
}

// Runs one convolution pass on prepared (possibly padded) buffers: x/dx, w/dw, y/dy as the kind needs. Tries the
// candidates in order and caches the first that ran (as PyTorch does): a failure (not supported for these
// parameters, or no memory for its workspace) moves on to the next one.
Status runConv(const KernelContext& ctx, ConvKind kind, const ConvPlan& p, void* x, void* w, void* y, float beta) {
  const char* op = ctx.op.c_str();
  cudnnHandle_t h = nullptr;
  TN_RETURN_IF_ERROR(cudnnFor(ctx, h));
  ConvDescs d;
  TN_RETURN_IF_ERROR(makeConvDescs(op, p, d));
  const std::string key = convKey(kind, backendOf(ctx)->index(), p);
  std::vector<AlgoChoice> candidates;
  bool cached = false;
  TN_RETURN_IF_ERROR(algoCandidates(ctx, h, kind, d, key, candidates, cached));
  Status last;
  for (const AlgoChoice& c : candidates) {
    last = runConvWith(ctx, h, kind, d, c, x, w, y, beta);
    if (!last.isOk()) continue;
    if (!cached) {
      std::lock_guard<std::mutex> lock(algoCacheMutex());
      algoCache()[key] = c;
    }
    return Status::ok();
  }
  if (cached) {  // the cached algorithm failed this time (e.g. its workspace no longer fits): choose again
    {
      std::lock_guard<std::mutex> lock(algoCacheMutex());
      algoCache().erase(key);
    }
    return runConv(ctx, kind, p, x, w, y, beta);
  }
  return Status(last.kind(), std::string(op) + ": none of the " + std::to_string(candidates.size()) +
                                 " cuDNN algorithms offered ran; the last error: " + last.message());
}

// The batch is split so that every tensor cuDNN sees has at most INT_MAX elements (the legacy API's limit).
Status convChunk(const char* op, const ConvPlan& p, int64_t& chunk) {
  const int64_t perImage = std::max(p.Hp() * p.Wp() * p.g.C, p.g.OH * p.g.OW * p.O);
  TN_CHECK(perImage <= INT_MAX, Shape, op, ": one image (", p.Hp(), "x", p.Wp(), "x", p.g.C, " in, ", p.g.OH, "x",
           p.g.OW, "x", p.O, " out) exceeds cuDNN's limit of 2^31-1 elements per tensor");
  chunk = std::max<int64_t>(1, std::min<int64_t>(p.g.N, INT_MAX / std::max<int64_t>(perImage, 1)));
  return Status::ok();
}

// The plan of images [start, start + n) of the batch.
ConvPlan batchSlice(const ConvPlan& p, int64_t n) {
  ConvPlan q = p;
  q.g.N = n;
  return q;
}

// x padded by the plan's excess (zeros) into a fresh stream-ordered buffer [N, Hp, Wp, C].
Status padImage(const KernelContext& ctx, const ConvPlan& p, const float* x, StoragePtr& out) {
  TN_RETURN_IF_ERROR(scratch(ctx, static_cast<size_t>(p.g.N * p.Hp() * p.Wp() * p.g.C) * sizeof(float), out));
  return launchPad(ctx.op.c_str(), x, Shape{p.g.N, p.g.H, p.g.W, p.g.C}, out->data(),
                   Shape{p.g.N, p.Hp(), p.Wp(), p.g.C}, {0, p.extraTop, p.extraLeft, 0}, 0u, streamOf(ctx));
}

// conv2d: x [N,H,W,C], w [O,kh,kw,C] (, bias [O]) -> y [N,OH,OW,O]; with the bias, y = act(conv + bias) (the fused
// epilogue, queued after the convolution on the same stream).
Status conv2dKernel(KernelContext& ctx) {
  TN_CHECK(ctx.inputs.size() >= 2, Internal, ctx.op, ": expected 2 or 3 inputs, got ", ctx.inputs.size());
  const TensorArg &x = ctx.in(0), &w = ctx.in(1), &y = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, y, DType::Float32, "y"));
  ConvPlan p;
  TN_RETURN_IF_ERROR(makeConvPlan(ctx, x, w, y, p));
  bool hasBias = false;
  int act = 0;
  TN_RETURN_IF_ERROR(readConvEpilogue(ctx, p.O, hasBias, act));
  if (y.size() == 0) return Status::ok();
  auto epilogue = [&]() -> Status {
    return hasBias ? launchBiasAct(ctx, y.data<float>(), ctx.in(2).data<float>(), y.data<float>(), y.size() / p.O, p.O,
                                   act)
                   : Status::ok();
  };
  if (x.size() == 0 || w.size() == 0) {  // empty channel sum
    TN_CUDA_RETURN(cudaMemsetAsync(y.storage->data(), 0, y.size() * sizeof(float), streamOf(ctx)), "conv2d");
    return epilogue();
  }
  int64_t chunk = 0;
  TN_RETURN_IF_ERROR(convChunk(ctx.op.c_str(), p, chunk));
  const int64_t xImg = p.g.H * p.g.W * p.g.C, yImg = p.g.OH * p.g.OW * p.O;
  for (int64_t b = 0; b < p.g.N; b += chunk) {
    const ConvPlan q = batchSlice(p, std::min(chunk, p.g.N - b));
    const float* xb = x.data<float>() + b * xImg;
    StoragePtr padded;
    if (q.explicitPad()) TN_RETURN_IF_ERROR(padImage(ctx, q, xb, padded));
    TN_RETURN_IF_ERROR(runConv(ctx, ConvKind::Forward, q, padded ? padded->data() : const_cast<float*>(xb),
                               w.storage->data(), y.data<float>() + b * yImg, 0.f));
  }
  return epilogue();
}

// conv2d_backward_input: dy, w -> dx [N,H,W,C]. With explicit padding: dx = the interior of d(padded x).
Status conv2dBackwardInputKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  const TensorArg &dy = ctx.in(0), &w = ctx.in(1), &dx = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, dy, DType::Float32, "dy"));
  ConvPlan p;
  TN_RETURN_IF_ERROR(makeConvPlan(ctx, dx, w, dy, p));
  if (dx.size() == 0) return Status::ok();
  if (dy.size() == 0 || w.size() == 0) {
    TN_CUDA_RETURN(cudaMemsetAsync(dx.storage->data(), 0, dx.size() * sizeof(float), streamOf(ctx)), "conv2d_backward_input");
    return Status::ok();
  }
  int64_t chunk = 0;
  TN_RETURN_IF_ERROR(convChunk(ctx.op.c_str(), p, chunk));
  const int64_t xImg = p.g.H * p.g.W * p.g.C, yImg = p.g.OH * p.g.OW * p.O;
  for (int64_t b = 0; b < p.g.N; b += chunk) {
    const ConvPlan q = batchSlice(p, std::min(chunk, p.g.N - b));
    float* dxb = dx.data<float>() + b * xImg;
    float* dyb = dy.data<float>() + b * yImg;
    if (!q.explicitPad()) {
      TN_RETURN_IF_ERROR(runConv(ctx, ConvKind::BackwardData, q, dxb, w.storage->data(), dyb, 0.f));
      continue;
    }
    const Shape paddedShape{q.g.N, q.Hp(), q.Wp(), q.g.C};
    StoragePtr dxp;
    TN_RETURN_IF_ERROR(scratch(ctx, static_cast<size_t>(numel(paddedShape)) * sizeof(float), dxp));
    TN_RETURN_IF_ERROR(runConv(ctx, ConvKind::BackwardData, q, dxp->data(), w.storage->data(), dyb, 0.f));
    TN_RETURN_IF_ERROR(launchSlice(ctx.op.c_str(), dxp->data(), paddedShape, dxb, Shape{q.g.N, q.g.H, q.g.W, q.g.C},
                                   {0, q.extraTop, q.extraLeft, 0}, streamOf(ctx)));
  }
  return Status::ok();
}

// conv2d_backward_filter: x, dy -> dw [O,kh,kw,C]. With explicit padding the filter sees the padded x. Batch chunks
// accumulate into dw (beta = 1 after the first).
Status conv2dBackwardFilterKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  const TensorArg &x = ctx.in(0), &dy = ctx.in(1), &dw = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, dy, DType::Float32, "dy"));
  ConvPlan p;
  TN_RETURN_IF_ERROR(makeConvPlan(ctx, x, dw, dy, p));
  if (dw.size() == 0) return Status::ok();
  if (x.size() == 0 || dy.size() == 0) {
    TN_CUDA_RETURN(cudaMemsetAsync(dw.storage->data(), 0, dw.size() * sizeof(float), streamOf(ctx)), "conv2d_backward_filter");
    return Status::ok();
  }
  int64_t chunk = 0;
  TN_RETURN_IF_ERROR(convChunk(ctx.op.c_str(), p, chunk));
  const int64_t xImg = p.g.H * p.g.W * p.g.C, yImg = p.g.OH * p.g.OW * p.O;
  for (int64_t b = 0; b < p.g.N; b += chunk) {
    const ConvPlan q = batchSlice(p, std::min(chunk, p.g.N - b));
    const float* xb = x.data<float>() + b * xImg;
    StoragePtr padded;
    if (q.explicitPad()) TN_RETURN_IF_ERROR(padImage(ctx, q, xb, padded));
    TN_RETURN_IF_ERROR(runConv(ctx, ConvKind::BackwardFilter, q, padded ? padded->data() : const_cast<float*>(xb),
                               dw.storage->data(), dy.data<float>() + b * yImg, b == 0 ? 0.f : 1.f));
  }
  return Status::ok();
}

// ---- pooling ----

// cuDNN pools only with symmetric padding smaller than the window (then no window lies entirely in padding, and
// padding never wins a max / is excluded from an average, as KERNELS.md requires) and tensors of at most INT_MAX
// elements (the legacy API's limit). Other cases use our own kernels.
bool cudnnCanPool(const WindowGeometry& g) {
  return g.padTop == g.padBottom && g.padLeft == g.padRight && g.padTop < g.kh && g.padLeft < g.kw &&
         g.N * g.H * g.W * g.C <= INT_MAX && g.N * g.OH * g.OW * g.C <= INT_MAX && g.kh <= INT_MAX &&
         g.kw <= INT_MAX && g.sh <= INT_MAX && g.sw <= INT_MAX;
}

Status makePoolDescs(const char* op, const WindowGeometry& g, bool isMax, PoolDesc& pd, TensorDesc& xd, TensorDesc& yd) {
  TN_CUDNN_RETURN(cudnnCreatePoolingDescriptor(&pd.d), op);
  // Max propagates NaN like the CPU kernel ("NaN wins"); the average excludes padding from the count.
  TN_CUDNN_RETURN(cudnnSetPooling2dDescriptor(pd.d, isMax ? CUDNN_POOLING_MAX : CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING,
                                              CUDNN_PROPAGATE_NAN, static_cast<int>(g.kh), static_cast<int>(g.kw),
                                              static_cast<int>(g.padTop), static_cast<int>(g.padLeft),
                                              static_cast<int>(g.sh), static_cast<int>(g.sw)), op);
  TN_RETURN_IF_ERROR(xd.nhwc(op, g.N, g.H, g.W, g.C));
  TN_RETURN_IF_ERROR(yd.nhwc(op, g.N, g.OH, g.OW, g.C));
  return Status::ok();
}

template <bool kMax>
Status poolForwardKernel(KernelContext& ctx) {
  WindowGeometry g;
  TN_RETURN_IF_ERROR(readPoolForwardArgs(ctx, g));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  if (y.size() == 0) return Status::ok();
  const char* op = ctx.op.c_str();
  if (!cudnnCanPool(g)) return launchPoolForward(op, kMax, g, x.data<float>(), y.data<float>(), streamOf(ctx));
  cudnnHandle_t h = nullptr;
  TN_RETURN_IF_ERROR(cudnnFor(ctx, h));
  PoolDesc pd;
  TensorDesc xd, yd;
  TN_RETURN_IF_ERROR(makePoolDescs(op, g, kMax, pd, xd, yd));
  const float alpha = 1.f, beta = 0.f;
  TN_CUDNN_RETURN(cudnnPoolingForward(h, pd.d, &alpha, xd.d, x.storage->data(), &beta, yd.d, y.storage->data()), op);
  return Status::ok();
}

// avg_pool2d_backward: dy -> dx (x's shape). Always our gather kernel: cuDNN's pooling backward takes x and y as
// well, and averaging has neither to give (passing dx as x would alias an input with the output).
Status avgPoolBackwardKernel(KernelContext& ctx) {
  WindowGeometry g;
  TN_RETURN_IF_ERROR(readAvgPoolBackwardArgs(ctx, g));
  const TensorArg &dy = ctx.in(0), &dx = ctx.out(0);
  if (dx.size() == 0) return Status::ok();
  return launchAvgPoolBackward(ctx.op.c_str(), g, dy.data<float>(), dx.data<float>(), streamOf(ctx));
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "conv2d", conv2dKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "conv2d_backward_input", conv2dBackwardInputKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "conv2d_backward_filter", conv2dBackwardFilterKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "max_pool2d", poolForwardKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "avg_pool2d", poolForwardKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "avg_pool2d_backward", avgPoolBackwardKernel);

size_t cudnnRuntimeVersion() { return cudnnGetVersion(); }

Status cudnnCheckRuntime() {
  const size_t version = cudnnGetVersion();
  TN_CHECK(version / 10000 == CUDNN_MAJOR, Device, "the loaded cuDNN is version ", version,
           " but tensornode was built against cuDNN ", CUDNN_MAJOR, ".", CUDNN_MINOR, " (major versions must match)");
  // A cuDNN built for another CUDA major (e.g. the cu12 wheel with a CUDA 13 runtime) fails in obscure ways later.
  const size_t cudnnCudart = cudnnGetCudartVersion();
  int runtime = 0;
  cudaRuntimeGetVersion(&runtime);
  TN_CHECK(runtime == 0 || cudnnCudart / 1000 == static_cast<size_t>(runtime) / 1000, Device, "the loaded cuDNN ",
           version, " was built for CUDA ", cudnnCudart / 1000, ".x but the CUDA runtime is ", runtime / 1000, ".",
           (runtime % 1000) / 10);
  return Status::ok();
}

}  // namespace cuda
}  // namespace tn
