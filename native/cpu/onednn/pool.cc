// oneDNN max and average pooling on NHWC, forward and backward. Average excludes padding (as our contract and
// Keras do). Max backward reruns the forward to rebuild oneDNN's workspace (the winner of each window, the first
// in row-major order as in the fallback), since the kernel contract passes x and y, not a workspace.
#include "engine.h"

#ifdef TENSORNODE_HAVE_DNNL
#include "dnnl_common.h"

namespace tn {
namespace onednn {
namespace {

struct PoolEntry {
  bool usable = false;
  dnnl::memory::desc src, dst;
  dnnl::primitive forward, backward;
  dnnl::memory workspace, scratchDst;  // max backward only: the rerun forward's outputs
};

PrimitiveCache<PoolEntry>& cache() {
  static auto* c = new PrimitiveCache<PoolEntry>();  // never destroyed: primitives are used until exit
  return *c;
}

std::unique_ptr<PoolEntry> makeEntry(bool isMax, bool backward, const WindowGeometry& g) {
  auto e = std::make_unique<PoolEntry>();
  e->src = nhwc(g.N, g.C, g.H, g.W);
  e->dst = nhwc(g.N, g.C, g.OH, g.OW);
  const auto algo = isMax ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
  const dims strides{g.sh, g.sw}, kernel{g.kh, g.kw}, padL{g.padTop, g.padLeft}, padR{g.padBottom, g.padRight};
  const auto prop = backward ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
  dnnl::pooling_forward::desc fd(prop, algo, e->src, e->dst, strides, kernel, padL, padR);
  dnnl::pooling_forward::primitive_desc fwd(fd, cpuEngine());
  if (!backward) {
    e->usable = !referenceOnly(fwd);
    if (e->usable) e->forward = dnnl::pooling_forward(fwd);
    return e;
  }
  dnnl::pooling_backward::desc bd(algo, e->src, e->dst, strides, kernel, padL, padR);
  dnnl::pooling_backward::primitive_desc bwd(bd, cpuEngine(), fwd);
  e->usable = !referenceOnly(bwd) && !(isMax && referenceOnly(fwd));
  if (!e->usable) return e;
  e->backward = dnnl::pooling_backward(bwd);
  if (isMax) {
    e->forward = dnnl::pooling_forward(fwd);
    e->workspace = dnnl::memory(fwd.workspace_desc(), cpuEngine());
    e->scratchDst = dnnl::memory(fwd.dst_desc(), cpuEngine());
  }
  return e;
}

// oneDNN needs every window to hold at least one real element (padding smaller than the window); the fallback
// defines the all-padding window (0) and handles empty tensors.
bool takes(const WindowGeometry& g) {
  return g.N > 0 && g.C > 0 && g.H > 0 && g.W > 0 && g.padTop < g.kh && g.padBottom < g.kh && g.padLeft < g.kw &&
         g.padRight < g.kw;
}

PoolEntry& entryFor(bool isMax, bool backward, const WindowGeometry& g) {
  // Pooling moves far more memory per operation than convolution: count each window element visit 8 times.
  int threads = prepareThreads(8 * g.N * g.OH * g.OW * g.C * g.kh * g.kw);
  std::vector<int64_t> key{isMax, backward, threads, g.N, g.H, g.W, g.C, g.kh, g.kw, g.sh, g.sw,
                           g.padTop, g.padBottom, g.padLeft, g.padRight};
  return cache().get(key, [&] { return makeEntry(isMax, backward, g); });
}

}  // namespace

Status poolForward(bool isMax, const WindowGeometry& g, const float* x, float* y, bool& handled) {
  handled = false;
  if (!takes(g)) return Status::ok();
  return runCached(isMax ? "max_pool2d" : "avg_pool2d", handled,
                   [&]() -> PoolEntry& { return entryFor(isMax, false, g); },
                   [&](PoolEntry& e, dnnl::stream& s) {
                     e.forward.execute(s, {{DNNL_ARG_SRC, wrap(e.src, x)}, {DNNL_ARG_DST, wrap(e.dst, y)}});
                   });
}

Status poolBackward(bool isMax, const WindowGeometry& g, const float* x, const float* dy, float* dx, bool& handled) {
  handled = false;
  if (!takes(g)) return Status::ok();
  return runCached(isMax ? "max_pool2d_backward" : "avg_pool2d_backward", handled,
                   [&]() -> PoolEntry& { return entryFor(isMax, true, g); },
                   [&](PoolEntry& e, dnnl::stream& s) {
                     if (isMax)
                       e.forward.execute(s, {{DNNL_ARG_SRC, wrap(e.src, x)},
                                             {DNNL_ARG_DST, e.scratchDst},
                                             {DNNL_ARG_WORKSPACE, e.workspace}});
                     dnnl::memory dxMem = wrap(e.src, dx), dyMem = wrap(e.dst, dy);
                     if (isMax)
                       e.backward.execute(s, {{DNNL_ARG_DIFF_DST, dyMem}, {DNNL_ARG_DIFF_SRC, dxMem},
                                              {DNNL_ARG_WORKSPACE, e.workspace}});
                     else
                       e.backward.execute(s, {{DNNL_ARG_DIFF_DST, dyMem}, {DNNL_ARG_DIFF_SRC, dxMem}});
                   });
}

}  // namespace onednn
}  // namespace tn

#endif  // TENSORNODE_HAVE_DNNL
