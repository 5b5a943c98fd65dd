// oneDNN convolution, forward and both backwards, on NHWC data with filters kept in the kernel contract's
// [O,kh,kw,C] (ohwi) layout: oneDNN picks its preferred weight layout (format_tag::any; a forced ohwi falls to its
// slow reference path) and a cached reorder converts to and from it on every call, so in-place weight updates are
// always seen. Shapes that only oneDNN's reference implementation takes are left to the im2col fallback.
#include "engine.h"

#ifdef TENSORNODE_HAVE_DNNL
#include "dnnl_common.h"

namespace tn {
namespace onednn {
namespace {

enum Kind : int64_t { kForward = 1, kBackwardData = 2, kBackwardWeights = 3 };

std::vector<int64_t> convKey(Kind kind, int threads, const WindowGeometry& g, int64_t O) {
  return {kind,  threads,  g.N,   g.H,    g.W,       g.C,          O,           g.kh,        g.kw,
          g.sh,  g.sw,     g.dh,  g.dw,   g.padTop,  g.padBottom,  g.padLeft,   g.padRight};
}

struct ConvDescs {
  dnnl::memory::desc src, weightsAny, userWeights, dst;
  dims strides, dilates, padL, padR;
  explicit ConvDescs(const WindowGeometry& g, int64_t O)
      : src(nhwc(g.N, g.C, g.H, g.W)),
        weightsAny({O, g.C, g.kh, g.kw}, dt::f32, tag::any),
        userWeights({O, g.C, g.kh, g.kw}, dt::f32, tag::ohwi),
        dst(nhwc(g.N, O, g.OH, g.OW)),
        strides{g.sh, g.sw},
        dilates{g.dh - 1, g.dw - 1},  // oneDNN counts dilation from 0
        padL{g.padTop, g.padLeft},
        padR{g.padBottom, g.padRight} {}

  dnnl::convolution_forward::primitive_desc forward() const {
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, src,
                                      weightsAny, dst, strides, dilates, padL, padR);
    return dnnl::convolution_forward::primitive_desc(d, cpuEngine());
  }
};

// The weights in oneDNN's layout: `buffer` (owned, per shape) when it differs from ohwi, with the reorder between.
struct WeightsInLayout {
  bool reorder = false;
  dnnl::memory buffer;
  dnnl::reorder toLayout, fromLayout;

  void init(const dnnl::memory::desc& layout, const dnnl::memory::desc& user, bool toward, bool back) {
    reorder = layout != user;
    if (!reorder) return;
    buffer = dnnl::memory(layout, cpuEngine());
    if (toward) toLayout = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), user, cpuEngine(), layout));
    if (back) fromLayout = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), layout, cpuEngine(), user));
  }
};

struct ConvEntry {
  bool usable = false;
  dnnl::primitive prim;
  dnnl::memory::desc src, weights, dst;  // the primitive's argument descs (weights = the user's ohwi when no reorder)
  WeightsInLayout w;
};

PrimitiveCache<ConvEntry>& cache() {
  static auto* c = new PrimitiveCache<ConvEntry>();  // never destroyed: primitives are used until exit
  return *c;
}

std::unique_ptr<ConvEntry> makeEntry(Kind kind, const WindowGeometry& g, int64_t O) {
  auto e = std::make_unique<ConvEntry>();
  ConvDescs d(g, O);
  auto fwd = d.forward();
  e->src = d.src;
  e->dst = d.dst;
  e->weights = d.userWeights;
  if (kind == kForward) {
    e->usable = !referenceOnly(fwd);
    if (!e->usable) return e;
    e->prim = dnnl::convolution_forward(fwd);
    e->w.init(fwd.weights_desc(), d.userWeights, true, false);
  } else if (kind == kBackwardData) {
    dnnl::convolution_backward_data::desc bd(dnnl::algorithm::convolution_direct, d.src, d.weightsAny, d.dst,
                                             d.strides, d.dilates, d.padL, d.padR);
    dnnl::convolution_backward_data::primitive_desc pd(bd, cpuEngine(), fwd);
    e->usable = !referenceOnly(pd);
    if (!e->usable) return e;
    e->prim = dnnl::convolution_backward_data(pd);
    e->w.init(pd.weights_desc(), d.userWeights, true, false);
  } else {
    dnnl::convolution_backward_weights::desc bd(dnnl::algorithm::convolution_direct, d.src, d.weightsAny, d.dst,
                                                d.strides, d.dilates, d.padL, d.padR);
    dnnl::convolution_backward_weights::primitive_desc pd(bd, cpuEngine(), fwd);
    e->usable = !referenceOnly(pd);
    if (!e->usable) return e;
    e->prim = dnnl::convolution_backward_weights(pd);
    e->w.init(pd.diff_weights_desc(), d.userWeights, false, true);
  }
  return e;
}

ConvEntry& entryFor(Kind kind, const WindowGeometry& g, int64_t O) {
  int threads = prepareThreads(g.N * g.OH * g.OW * O * g.kh * g.kw * g.C);
  return cache().get(convKey(kind, threads, g, O), [&] { return makeEntry(kind, g, O); });
}

// oneDNN takes every non-empty conv; empty tensors stay with the fallback, which handles them.
bool nonEmpty(const WindowGeometry& g, int64_t O) { return g.N > 0 && g.C > 0 && O > 0 && g.OH > 0 && g.OW > 0; }

}  // namespace

Status conv2dForward(const WindowGeometry& g, int64_t O, const float* x, const float* w, float* y, bool& handled) {
  handled = false;
  if (!nonEmpty(g, O)) return Status::ok();
  return runCached("conv2d", handled, [&]() -> ConvEntry& { return entryFor(kForward, g, O); },
                   [&](ConvEntry& e, dnnl::stream& s) {
                     dnnl::memory wUser = wrap(e.weights, w);
                     if (e.w.reorder) e.w.toLayout.execute(s, wUser, e.w.buffer);
                     e.prim.execute(s, {{DNNL_ARG_SRC, wrap(e.src, x)},
                                        {DNNL_ARG_WEIGHTS, e.w.reorder ? e.w.buffer : wUser},
                                        {DNNL_ARG_DST, wrap(e.dst, y)}});
                   });
}

Status conv2dBackwardData(const WindowGeometry& g, int64_t O, const float* dy, const float* w, float* dx,
                          bool& handled) {
  handled = false;
  if (!nonEmpty(g, O)) return Status::ok();
  return runCached("conv2d_backward_input", handled, [&]() -> ConvEntry& { return entryFor(kBackwardData, g, O); },
                   [&](ConvEntry& e, dnnl::stream& s) {
                     dnnl::memory wUser = wrap(e.weights, w);
                     if (e.w.reorder) e.w.toLayout.execute(s, wUser, e.w.buffer);
                     e.prim.execute(s, {{DNNL_ARG_DIFF_DST, wrap(e.dst, dy)},
                                        {DNNL_ARG_WEIGHTS, e.w.reorder ? e.w.buffer : wUser},
                                        {DNNL_ARG_DIFF_SRC, wrap(e.src, dx)}});
                   });
}

Status conv2dBackwardWeights(const WindowGeometry& g, int64_t O, const float* x, const float* dy, float* dw,
                             bool& handled) {
  handled = false;
  if (!nonEmpty(g, O)) return Status::ok();
  return runCached("conv2d_backward_filter", handled,
                   [&]() -> ConvEntry& { return entryFor(kBackwardWeights, g, O); },
                   [&](ConvEntry& e, dnnl::stream& s) {
                     dnnl::memory dwUser = wrap(e.weights, dw);
                     e.prim.execute(s, {{DNNL_ARG_SRC, wrap(e.src, x)},
                                        {DNNL_ARG_DIFF_DST, wrap(e.dst, dy)},
                                        {DNNL_ARG_DIFF_WEIGHTS, e.w.reorder ? e.w.buffer : dwUser}});
                     if (e.w.reorder) e.w.fromLayout.execute(s, e.w.buffer, dwUser);
                   });
}

}  // namespace onednn
}  // namespace tn

#endif  // TENSORNODE_HAVE_DNNL
