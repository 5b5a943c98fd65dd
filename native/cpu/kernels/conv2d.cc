// CPU 2-D convolution (NHWC, filters [O,kh,kw,C]): forward, backward-input and backward-filter through oneDNN when
// that engine is active (onednn/conv.cc), else (and for shapes oneDNN leaves) as im2col + GEMM.
//
// The im2col matrix has one row per output position (n, oh, ow) and K = kh*kw*C columns ordered (i, j, c), which is
// exactly a filter row's layout. So, with the filters as an [O, K] matrix W:
//   forward:          y[P, O]  = cols[P, K] * W^T          (y is NHWC, so its rows are the output positions)
//   backward input:   dcols    = dy[P, O] * W, then col2im  (dx += every column entry back at its input pixel)
//   backward filter:  dW[O, K] += dy[P, O]^T * cols         (summed over all positions of all images)
// Work is split into one slot per pool thread; each slot walks its share of output rows (n, oh) in tasks whose columns
// fit in L2 (kTaskBytes), running im2col and a single-threaded GEMM back to back while the columns are still cached.
// (One big im2col followed by one pool-split GEMM measured ~1.7x slower on a 2-core box: the columns round-trip
// through DRAM.) backward-input takes that path only when each
// slot can own whole images, since its col2im scatters into overlapping dx rows; otherwise it runs chunked
// pool-split GEMMs followed by a row-parallel col2im gather.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "../blas.h"
#include "../onednn/engine.h"
#include "../../core/params/bias_act.h"
#include "../../core/params/conv.h"
#include "bias_act.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// Upper bound on the column buffer of the chunked (pool-split) path.
constexpr size_t kColumnBudgetBytes = size_t(64) << 20;
// Columns per per-thread task: about half an L2 so the GEMM reads them from cache right after im2col writes them.
constexpr size_t kTaskBytes = size_t(1) << 20;
// GEMM dims go to cblas as int; keep every chunk's row count far below that.
constexpr int64_t kMaxChunkRows = int64_t(1) << 26;

// A scratch buffer owned by the CPU stream's thread, reused across calls: a fresh 64 MiB malloc per call would
// page-fault on every conv. Never larger than the budget, except when one output row alone needs more.
class ColumnBuffer {
 public:
  ~ColumnBuffer() { std::free(data_); }
  Status reserve(size_t floats, float*& out) {
    if (floats > capacity_) {
      std::free(data_);
      data_ = static_cast<float*>(std::malloc(floats * sizeof(float)));
      capacity_ = data_ ? floats : 0;
      TN_CHECK(data_, OutOfMemory, "conv2d: out of memory allocating a ", floats * sizeof(float), "-byte column buffer");
    }
    out = data_;
    return Status::ok();
  }

 private:
  float* data_ = nullptr;
  size_t capacity_ = 0;
};

Status columnBuffer(size_t floats, float*& out) {
  thread_local ColumnBuffer buffer;
  return buffer.reserve(floats, out);
}

struct ConvShapes {
  WindowGeometry g;
  int64_t O = 0;
  int64_t K() const { return g.kh * g.kw * g.C; }
  // A 1x1, stride-1, unpadded conv needs no im2col: the NHWC input already is the column matrix.
  bool pointwise() const {
    return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.padTop == 0 && g.padBottom == 0 && g.padLeft == 0 &&
           g.padRight == 0;
  }
};

// Re-checks the three tensors of any conv kernel: image x (or dx), filters w (or dw), output y (or dy).
Status convShapes(const KernelContext& ctx, const TensorArg& x, const char* xName, const TensorArg& w,
                  const char* wName, const TensorArg& y, const char* yName, ConvShapes& s) {
  TN_RETURN_IF_ERROR(checkImage(ctx, x, xName));
  TN_RETURN_IF_ERROR(checkImage(ctx, w, wName));
  TN_RETURN_IF_ERROR(checkImage(ctx, y, yName));
  TN_CHECK(w.dim(3) == x.dim(3), Shape, ctx.op, ": ", wName, " has ", w.dim(3), " input channels (shape ",
           shapeStr(w.shape), ") but ", xName, " has ", x.dim(3), " (shape ", shapeStr(x.shape), ")");
  TN_CHECK(w.dim(1) >= 1 && w.dim(2) >= 1 && w.dim(1) <= kMaxWindowAttr && w.dim(2) <= kMaxWindowAttr, Shape, ctx.op, ": ", wName, " must have a kernel of at least 1x1 (and at most 2^30), got shape ",
           shapeStr(w.shape));
  s.g.kh = w.dim(1);
  s.g.kw = w.dim(2);
  s.O = w.dim(0);
  TN_RETURN_IF_ERROR(readWindowAttrs(ctx, true, s.g));
  TN_RETURN_IF_ERROR(finishGeometry(ctx, x.shape, s.g));
  return checkShapeIs(ctx, y, Shape{s.g.N, s.g.OH, s.g.OW, s.O}, yName);
}

// Output rows (n, oh) per chunk of the pool-split path, so that a chunk's columns fit the budget (at least one row).
int64_t rowsPerChunk(const ConvShapes& s) {
  int64_t rowBytes = std::max<int64_t>(1, s.g.OW * s.K() * static_cast<int64_t>(sizeof(float)));
  int64_t rows = std::max<int64_t>(1, static_cast<int64_t>(kColumnBudgetBytes) / rowBytes);
  return std::max<int64_t>(1, std::min(rows, kMaxChunkRows / std::max<int64_t>(1, s.g.OW)));
}

// Output rows per per-thread task (columns about kTaskBytes).
int64_t rowsPerTask(const ConvShapes& s) {
  int64_t rowBytes = std::max<int64_t>(1, s.g.OW * s.K() * static_cast<int64_t>(sizeof(float)));
  return std::max<int64_t>(1, static_cast<int64_t>(kTaskBytes) / rowBytes);
}

// Runs fn(slot, begin, end) once per slot, in parallel, over an even split of [0, n) into `slots` ranges.
// With n == slots the pool hands each thread exactly one slot, so slot-indexed scratch is never shared.
template <typename Fn>
void forEachSlot(int64_t slots, int64_t n, const Fn& fn) {
  parallelFor(slots, 1, [&](int64_t b, int64_t e) {
    for (int64_t slot = b; slot < e; ++slot) fn(slot, n * slot / slots, n * (slot + 1) / slots);
  });
}

// Fills the column rows of output rows [r0, r1) (r = n*OH + oh): cols[(r-r0)*OW + ow, (i*kw + j)*C + c].
void im2col(const ConvShapes& s, const float* x, int64_t r0, int64_t r1, float* cols) {
  const WindowGeometry& g = s.g;
  const int64_t K = s.K(), C = g.C;
  for (int64_t r = r0; r < r1; ++r) {
    int64_t n = r / g.OH, oh = r % g.OH;
    for (int64_t ow = 0; ow < g.OW; ++ow) {
      float* dst = cols + ((r - r0) * g.OW + ow) * K;
      for (int64_t i = 0; i < g.kh; ++i) {
        int64_t ih = oh * g.sh - g.padTop + i * g.dh;
        float* drow = dst + i * g.kw * C;
        if (ih < 0 || ih >= g.H) {
          std::memset(drow, 0, g.kw * C * sizeof(float));
          continue;
        }
        const float* xrow = x + (n * g.H + ih) * g.W * C;
        for (int64_t j = 0; j < g.kw; ++j) {
          int64_t iw = ow * g.sw - g.padLeft + j * g.dw;
          if (iw < 0 || iw >= g.W) std::memset(drow + j * C, 0, C * sizeof(float));
          else std::memcpy(drow + j * C, xrow + iw * C, C * sizeof(float));
        }
      }
    }
  }
}

// dx += col2im(dcols) for output rows [r0, r1), scattering (one thread must own every dx row these rows touch).
void col2imScatter(const ConvShapes& s, const float* dcols, int64_t r0, int64_t r1, float* dx) {
  const WindowGeometry& g = s.g;
  const int64_t K = s.K(), C = g.C;
  for (int64_t r = r0; r < r1; ++r) {
    int64_t n = r / g.OH, oh = r % g.OH;
    for (int64_t ow = 0; ow < g.OW; ++ow) {
      const float* src = dcols + ((r - r0) * g.OW + ow) * K;
      for (int64_t i = 0; i < g.kh; ++i) {
        int64_t ih = oh * g.sh - g.padTop + i * g.dh;
        if (ih < 0 || ih >= g.H) continue;
        float* dxrow = dx + (n * g.H + ih) * g.W * C;
        for (int64_t j = 0; j < g.kw; ++j) {
          int64_t iw = ow * g.sw - g.padLeft + j * g.dw;
          if (iw < 0 || iw >= g.W) continue;
          const float* sp = src + (i * g.kw + j) * C;
          float* dp = dxrow + iw * C;
          for (int64_t c = 0; c < C; ++c) dp[c] += sp[c];
        }
      }
    }
  }
}

// dx += col2im(dcols) for output rows [r0, r1), gathering per input row (n, h) so that threads never share a dx row.
void col2imGather(const ConvShapes& s, const float* dcols, int64_t r0, int64_t r1, float* dx) {
  const WindowGeometry& g = s.g;
  const int64_t K = s.K(), C = g.C;
  int64_t nFirst = r0 / g.OH, nLast = (r1 - 1) / g.OH;
  parallelFor((nLast - nFirst + 1) * g.H, 1, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      int64_t n = nFirst + t / g.H, h = t % g.H;
      float* dxrow = dx + (n * g.H + h) * g.W * C;
      for (int64_t i = 0; i < g.kh; ++i) {
        // Output row oh reads input row h through filter row i when oh*sh - top + i*dh == h.
        int64_t num = h + g.padTop - i * g.dh;
        if (num < 0 || num % g.sh != 0) continue;
        int64_t oh = num / g.sh;
        int64_t r = n * g.OH + oh;
        if (oh >= g.OH || r < r0 || r >= r1) continue;
        const float* src = dcols + (r - r0) * g.OW * K + i * g.kw * C;
        for (int64_t ow = 0; ow < g.OW; ++ow) {
          for (int64_t j = 0; j < g.kw; ++j) {
            int64_t iw = ow * g.sw - g.padLeft + j * g.dw;
            if (iw < 0 || iw >= g.W) continue;
            const float* sp = src + ow * K + j * C;
            float* dp = dxrow + iw * C;
            for (int64_t c = 0; c < C; ++c) dp[c] += sp[c];
          }
        }
      }
    }
  });
}

void zeroFill(float* p, int64_t n) {
  parallelFor(n, kElementwiseGrain, [&](int64_t b, int64_t e) { std::memset(p + b, 0, (e - b) * sizeof(float)); });
}

// How many slots (threads) to split `items` units of work over.
int64_t slotCount(int64_t items) { return std::max<int64_t>(1, std::min<int64_t>(cpuThreadCount(), items)); }

// forward: inputs x [N,H,W,C], w [O,kh,kw,C]; output y [N,OH,OW,O].
Status conv2dKernel(KernelContext& ctx) {
  TN_CHECK(ctx.inputs.size() >= 2, Internal, ctx.op, ": expected 2 or 3 inputs, got ", ctx.inputs.size());
  const TensorArg &x = ctx.in(0), &w = ctx.in(1), &y = ctx.out(0);
  ConvShapes s;
  TN_RETURN_IF_ERROR(convShapes(ctx, x, "x", w, "w", y, "y", s));
  // The optional fused epilogue (bias input, activation attr): applied to each block of output rows as it is written.
  BiasActEpilogue epilogue;
  bool hasBias = false;
  TN_RETURN_IF_ERROR(readConvEpilogue(ctx, s.O, hasBias, epilogue.act));
  if (hasBias) epilogue.bias = ctx.in(2).data<float>();
  const int64_t K = s.K(), O = s.O, OW = s.g.OW, rows = s.g.N * s.g.OH;
  if (y.size() == 0) return Status::ok();
  if (K == 0) {
    zeroFill(y.data<float>(), y.size());
    applyBiasActInPlace(epilogue, y.data<float>(), y.size() / O, O);
    return Status::ok();
  }
  const float *px = x.data<float>(), *pw = w.data<float>();
  float* py = y.data<float>();
  if (onednn::active()) {
    bool handled = false;
    TN_RETURN_IF_ERROR(onednn::conv2dForward(s.g, O, px, pw, py, epilogue, handled));
    if (handled) return Status::ok();
  }
  const bool pointwise = s.pointwise();
  const int64_t task = rowsPerTask(s), slots = slotCount(rows);
  const size_t slotFloats = static_cast<size_t>(std::min(task, rows) * OW * K);
  float* cols = nullptr;
  if (!pointwise) TN_RETURN_IF_ERROR(columnBuffer(slotFloats * slots, cols));
  forEachSlot(slots, rows, [&](int64_t slot, int64_t begin, int64_t end) {
    float* mine = pointwise ? nullptr : cols + slotFloats * slot;
    for (int64_t r0 = begin; r0 < end; r0 += task) {
      int64_t r1 = std::min(end, r0 + task), P = (r1 - r0) * OW;
      const float* a = px + r0 * OW * K;  // pointwise: the input rows themselves
      if (!pointwise) {
        im2col(s, px, r0, r1, mine);
        a = mine;
      }
      sgemm(false, true, P, O, K, 1.f, a, K, pw, K, 0.f, py + r0 * OW * O, O);
      applyBiasActInPlace(epilogue, py + r0 * OW * O, P, O);  // while the block is still in cache
    }
  });
  return Status::ok();
}

// backward input: inputs dy [N,OH,OW,O], w [O,kh,kw,C]; output dx [N,H,W,C] (dx = sum over windows, so zeroed first).
Status conv2dBackwardInputKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  const TensorArg &dy = ctx.in(0), &w = ctx.in(1), &dx = ctx.out(0);
  ConvShapes s;
  TN_RETURN_IF_ERROR(convShapes(ctx, dx, "dx", w, "w", dy, "dy", s));
  const WindowGeometry& g = s.g;
  const int64_t K = s.K(), O = s.O, OW = g.OW, rows = g.N * g.OH;
  float* pdx = dx.data<float>();
  if (dx.size() == 0) return Status::ok();
  if (O == 0) {
    zeroFill(pdx, dx.size());
    return Status::ok();
  }
  const float *pdy = dy.data<float>(), *pw = w.data<float>();
  if (onednn::active()) {
    bool handled = false;
    TN_RETURN_IF_ERROR(onednn::conv2dBackwardData(g, O, pdy, pw, pdx, handled));
    if (handled) return Status::ok();
  }
  if (s.pointwise()) {  // dx = dy * W directly, each slot writing its own rows
    const int64_t task = rowsPerTask(s), slots = slotCount(rows);
    forEachSlot(slots, rows, [&](int64_t, int64_t begin, int64_t end) {
      for (int64_t r0 = begin; r0 < end; r0 += task) {
        int64_t P = (std::min(end, r0 + task) - r0) * OW;
        sgemm(false, false, P, K, O, 1.f, pdy + r0 * OW * O, O, pw, K, 0.f, pdx + r0 * OW * K, K);
      }
    });
    return Status::ok();
  }
  if (g.N >= cpuThreadCount()) {  // every slot owns whole images: per-thread GEMM + scatter, columns stay in cache
    const int64_t task = std::min(rowsPerTask(s), g.OH), slots = slotCount(g.N);
    const size_t slotFloats = static_cast<size_t>(task * OW * K);
    float* dcols = nullptr;
    TN_RETURN_IF_ERROR(columnBuffer(slotFloats * slots, dcols));
    forEachSlot(slots, g.N, [&](int64_t slot, int64_t nBegin, int64_t nEnd) {
      float* mine = dcols + slotFloats * slot;
      std::memset(pdx + nBegin * g.H * g.W * g.C, 0, (nEnd - nBegin) * g.H * g.W * g.C * sizeof(float));
      for (int64_t r0 = nBegin * g.OH; r0 < nEnd * g.OH; r0 += task) {
        int64_t r1 = std::min(nEnd * g.OH, r0 + task), P = (r1 - r0) * OW;
        sgemm(false, false, P, K, O, 1.f, pdy + r0 * OW * O, O, pw, K, 0.f, mine, K);
        col2imScatter(s, mine, r0, r1, pdx);
      }
    });
    return Status::ok();
  }
  // Few images: pool-split GEMMs over bounded chunks, then a gather that parallelises over input rows.
  const int64_t chunk = rowsPerChunk(s);
  float* dcols = nullptr;
  TN_RETURN_IF_ERROR(columnBuffer(static_cast<size_t>(std::min(chunk, rows) * OW * K), dcols));
  zeroFill(pdx, dx.size());  // also covers input pixels no window touches (stride > kernel span)
  for (int64_t r0 = 0; r0 < rows; r0 += chunk) {
    int64_t r1 = std::min(rows, r0 + chunk), P = (r1 - r0) * OW;
    sgemm(false, false, P, K, O, 1.f, pdy + r0 * OW * O, O, pw, K, 0.f, dcols, K);
    col2imGather(s, dcols, r0, r1, pdx);
  }
  return Status::ok();
}

// backward filter: inputs x [N,H,W,C], dy [N,OH,OW,O]; output dw [O,kh,kw,C] = sum over all rows of dy^T * cols.
// Each slot accumulates its own partial dW (slot 0 directly in dw); the partials are summed at the end.
Status conv2dBackwardFilterKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  const TensorArg &x = ctx.in(0), &dy = ctx.in(1), &dw = ctx.out(0);
  ConvShapes s;
  TN_RETURN_IF_ERROR(convShapes(ctx, x, "x", dw, "dw", dy, "dy", s));
  const int64_t K = s.K(), O = s.O, OW = s.g.OW, rows = s.g.N * s.g.OH;
  float* pdw = dw.data<float>();
  if (dw.size() == 0) return Status::ok();
  if (rows * OW == 0) {
    zeroFill(pdw, dw.size());
    return Status::ok();
  }
  const float *px = x.data<float>(), *pdy = dy.data<float>();
  if (onednn::active()) {
    bool handled = false;
    TN_RETURN_IF_ERROR(onednn::conv2dBackwardWeights(s.g, O, px, pdy, pdw, handled));
    if (handled) return Status::ok();
  }
  const bool pointwise = s.pointwise();
  const int64_t task = rowsPerTask(s), slots = slotCount(rows), dwSize = O * K;
  const size_t colFloats = pointwise ? 0 : static_cast<size_t>(std::min(task, rows) * OW * K);
  const size_t slotFloats = colFloats + static_cast<size_t>(dwSize);  // columns, then the slot's partial dW
  float* scratch = nullptr;
  TN_RETURN_IF_ERROR(columnBuffer(slotFloats * slots, scratch));
  forEachSlot(slots, rows, [&](int64_t slot, int64_t begin, int64_t end) {
    float* cols = scratch + slotFloats * slot;
    float* acc = slot == 0 ? pdw : cols + colFloats;
    for (int64_t r0 = begin; r0 < end; r0 += task) {
      int64_t r1 = std::min(end, r0 + task), P = (r1 - r0) * OW;
      const float* b = px + r0 * OW * K;
      if (!pointwise) {
        im2col(s, px, r0, r1, cols);
        b = cols;
      }
      sgemm(true, false, O, K, P, 1.f, pdy + r0 * OW * O, O, b, K, r0 == begin ? 0.f : 1.f, acc, K);
    }
  });
  if (slots > 1) {
    parallelFor(dwSize, 1024, [&](int64_t b, int64_t e) {
      for (int64_t slot = 1; slot < slots; ++slot) {
        const float* part = scratch + slotFloats * slot + colFloats;
        for (int64_t i = b; i < e; ++i) pdw[i] += part[i];
      }
    });
  }
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "conv2d", conv2dKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "conv2d_backward_input", conv2dBackwardInputKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "conv2d_backward_filter", conv2dBackwardFilterKernel);

}  // namespace cpu
}  // namespace tn
