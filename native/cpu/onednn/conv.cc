// oneDNN convolution, forward and both backwards, on NHWC data with filters kept in the kernel contract's
// [O,kh,kw,C] (ohwi) layout: oneDNN picks its preferred weight layout (format_tag::any; a forced ohwi falls to its
// slow reference path) and a cached reorder converts to and from it on every call, so in-place weight updates are
// always seen. Shapes that only oneDNN's reference implementation takes are left to the im2col fallback.
//
// Threading: a batch of two or more images is cut into one slice per pool thread, each slice a single-threaded
// oneDNN primitive run by parallelFor (its own scratchpad and stream). The pool hands out slices dynamically, so a
// descheduled thread never stalls the kernel (the caller takes its slice); an OpenMP team of fixed shares waits for
// it instead, which is why oneDNN's own team only serves a batch of one (sized by prepareThreads). The filter
// gradient sums the slices' partial results.
#include "engine.h"

#ifdef TENSORNODE_HAVE_DNNL
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "../thread_pool.h"
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
  dnnl::primitive_attr attr;
  explicit ConvDescs(const WindowGeometry& g, int64_t O)
      : src(nhwc(g.N, g.C, g.H, g.W)),
        weightsAny({O, g.C, g.kh, g.kw}, dt::f32, tag::any),
        userWeights({O, g.C, g.kh, g.kw}, dt::f32, tag::ohwi),
        dst(nhwc(g.N, O, g.OH, g.OW)),
        strides{g.sh, g.sw},
        dilates{g.dh - 1, g.dw - 1},  // oneDNN counts dilation from 0
        padL{g.padTop, g.padLeft},
        padR{g.padBottom, g.padRight} {
    // Our scratchpad per slice: slices of one primitive run at once, and oneDNN's shared one is not for that.
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  }

  dnnl::convolution_forward::primitive_desc forward() const {
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, src,
                                      weightsAny, dst, strides, dilates, padL, padR);
    return dnnl::convolution_forward::primitive_desc(d, attr, cpuEngine());
  }
};

// The weights in oneDNN's layout when it differs from ohwi: the reorders between the two.
struct WeightsInLayout {
  bool reorder = false;
  dnnl::memory::desc layout;
  dnnl::reorder toLayout, fromLayout;

  void init(const dnnl::memory::desc& l, const dnnl::memory::desc& user, bool toward, bool back) {
    layout = l;
    reorder = layout != user;
    if (!reorder) return;
    if (toward) toLayout = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), user, cpuEngine(), layout));
    if (back) fromLayout = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), layout, cpuEngine(), user));
  }
};

struct ConvEntry {
  bool usable = false;
  dnnl::primitive prim;
  dnnl::memory::desc src, weights, dst, scratchDesc;  // weights = the user's ohwi
  WeightsInLayout w;
  dnnl::memory weightsBuffer;              // forward / backward data: the filter in oneDNN's layout (when reordered)
  std::vector<dnnl::memory> scratch;       // per slice
  std::vector<dnnl::memory> partial;       // backward weights: each slice's dW in oneDNN's layout

  // Grows the per-slice memories to `slices` (on the calling thread, before the slices run).
  void reserve(int slices, bool partials) {
    if (w.reorder && !weightsBuffer && !partials) weightsBuffer = dnnl::memory(w.layout, cpuEngine());
    while (static_cast<int>(scratch.size()) < slices)
      scratch.push_back(scratchDesc.get_size() > 0 ? dnnl::memory(scratchDesc, cpuEngine()) : dnnl::memory());
    while (partials && static_cast<int>(partial.size()) < slices) partial.emplace_back(w.layout, cpuEngine());
  }
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
    e->scratchDesc = fwd.scratchpad_desc();
    e->w.init(fwd.weights_desc(), d.userWeights, true, false);
  } else if (kind == kBackwardData) {
    dnnl::convolution_backward_data::desc bd(dnnl::algorithm::convolution_direct, d.src, d.weightsAny, d.dst,
                                             d.strides, d.dilates, d.padL, d.padR);
    dnnl::convolution_backward_data::primitive_desc pd(bd, d.attr, cpuEngine(), fwd);
    e->usable = !referenceOnly(pd);
    if (!e->usable) return e;
    e->prim = dnnl::convolution_backward_data(pd);
    e->scratchDesc = pd.scratchpad_desc();
    e->w.init(pd.weights_desc(), d.userWeights, true, false);
  } else {
    dnnl::convolution_backward_weights::desc bd(dnnl::algorithm::convolution_direct, d.src, d.weightsAny, d.dst,
                                                d.strides, d.dilates, d.padL, d.padR);
    dnnl::convolution_backward_weights::primitive_desc pd(bd, d.attr, cpuEngine(), fwd);
    e->usable = !referenceOnly(pd);
    if (!e->usable) return e;
    e->prim = dnnl::convolution_backward_weights(pd);
    e->scratchDesc = pd.scratchpad_desc();
    e->w.init(pd.diff_weights_desc(), d.userWeights, false, true);
  }
  return e;
}

ConvEntry& entryFor(Kind kind, int threads, const WindowGeometry& g, int64_t O) {
  return cache().get(convKey(kind, threads, g, O), [&] { return makeEntry(kind, g, O); });
}

// oneDNN takes every non-empty conv; empty tensors stay with the fallback, which handles them.
bool nonEmpty(const WindowGeometry& g, int64_t O) { return g.N > 0 && g.C > 0 && O > 0 && g.OH > 0 && g.OW > 0; }

// How a call is cut: `count` batch slices (slice i holds images [begin(i), begin(i+1))), each run by the entry of
// its image count (at most two counts, N/count rounded down and up).
struct Plan {
  int count = 1;
  int64_t N = 0, smallN = 0;
  ConvEntry* entries[2] = {nullptr, nullptr};  // for smallN images, for smallN + 1
  int64_t begin(int i) const { return N * i / count; }
  ConvEntry& entry(int i) const { return *entries[begin(i + 1) - begin(i) == smallN ? 0 : 1]; }
  bool usable() const { return entries[0]->usable && (!entries[1] || entries[1]->usable); }
};

Plan makePlan(Kind kind, const WindowGeometry& g, int64_t O) {
  Plan p;
  p.N = g.N;
  const int64_t work = g.N * g.OH * g.OW * O * g.kh * g.kw * g.C;
  const int threads = cpuThreadCount();
  if (threads <= 1 || g.N < 2 || work < kParallelWork) {
    p.smallN = g.N;
    p.entries[0] = &entryFor(kind, prepareThreads(work), g, O);
    return p;
  }
  p.count = static_cast<int>(std::min<int64_t>(threads, g.N));
  p.smallN = g.N / p.count;
  useThreads(1);  // the slices' primitives are built for one thread each
  WindowGeometry slice = g;
  slice.N = p.smallN;
  p.entries[0] = &entryFor(kind, 1, slice, O);
  if (g.N % p.count != 0) {
    slice.N = p.smallN + 1;
    p.entries[1] = &entryFor(kind, 1, slice, O);
  }
  return p;
}

// Runs body(i, stream) for every slice: inline for one, else on the pool. The first failure wins.
template <typename Body>
Status forEachSlice(const char* op, const Plan& p, const Body& body) {
  if (p.count == 1)
    return guarded(op, [&] {
      body(0, cpuStream());
      cpuStream().wait();
      return Status::ok();
    });
  std::mutex mutex;
  Status first = Status::ok();
  parallelFor(p.count, 1, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      Status s = guarded(op, [&] {
        useThreads(1);
        body(static_cast<int>(i), threadStream());
        threadStream().wait();
        return Status::ok();
      });
      if (!s.isOk()) {
        std::lock_guard<std::mutex> lock(mutex);
        if (first.isOk()) first = s;
      }
    }
  });
  return first;
}

// The shared shape of the three entries: plan, reserve per-slice memory, `before` on the calling thread, the
// slices, `after` on the calling thread. `handled` is false when oneDNN would only run its reference code.
template <typename Before, typename Slice, typename After>
Status runConv(const char* op, Kind kind, const WindowGeometry& g, int64_t O, bool& handled, const Before& before,
               const Slice& slice, const After& after) {
  handled = false;
  if (!nonEmpty(g, O)) return Status::ok();
  Plan p;
  Status s = guarded(op, [&] {
    p = makePlan(kind, g, O);
    countKernel(p.usable());
    if (!p.usable()) return Status::ok();
    for (ConvEntry* e : p.entries)
      if (e) e->reserve(p.count, kind == kBackwardWeights);
    before(p);
    return Status::ok();
  });
  if (!s.isOk() || !p.usable()) return s;
  TN_RETURN_IF_ERROR(forEachSlice(op, p, [&](int i, dnnl::stream& st) { slice(p, i, st); }));
  TN_RETURN_IF_ERROR(guarded(op, [&] {
    after(p);
    return Status::ok();
  }));
  handled = true;
  return Status::ok();
}

void addScratch(std::unordered_map<int, dnnl::memory>& args, const ConvEntry& e, int i) {
  if (e.scratchDesc.get_size() > 0) args.insert({DNNL_ARG_SCRATCHPAD, e.scratch[i]});
}

// forward / backward data: the filter reordered once per call into each entry's layout, read by every slice.
void reorderFilter(const Plan& p, const float* w) {
  for (ConvEntry* e : p.entries)
    if (e && e->w.reorder) {
      dnnl::memory user = wrap(e->weights, w);
      e->w.toLayout.execute(cpuStream(), user, e->weightsBuffer);
    }
  cpuStream().wait();
}

dnnl::memory filterArg(ConvEntry& e, const float* w) { return e.w.reorder ? e.weightsBuffer : wrap(e.weights, w); }

// Offsets of slice i's first image in an NHWC tensor of H x W x C per image.
inline int64_t imageOffset(const Plan& p, int i, int64_t H, int64_t W, int64_t C) { return p.begin(i) * H * W * C; }

}  // namespace

Status conv2dForward(const WindowGeometry& g, int64_t O, const float* x, const float* w, float* y,
                     const cpu::BiasActEpilogue& epilogue, bool& handled) {
  return runConv(
      "conv2d", kForward, g, O, handled, [&](const Plan& p) { reorderFilter(p, w); },
      [&](const Plan& p, int i, dnnl::stream& s) {
        ConvEntry& e = p.entry(i);
        float* out = y + imageOffset(p, i, g.OH, g.OW, O);
        std::unordered_map<int, dnnl::memory> args{
            {DNNL_ARG_SRC, wrap(e.src, x + imageOffset(p, i, g.H, g.W, g.C))},
            {DNNL_ARG_WEIGHTS, filterArg(e, w)},
            {DNNL_ARG_DST, wrap(e.dst, out)}};
        addScratch(args, e, i);
        e.prim.execute(s, args);
        // The slice's output, still warm: its bias and activation (the slice's thread, like the convolution).
        if (epilogue) {
          s.wait();
          cpu::applyBiasActInPlace(epilogue, out, (p.begin(i + 1) - p.begin(i)) * g.OH * g.OW, O);
        }
      },
      [](const Plan&) {});
}

Status conv2dBackwardData(const WindowGeometry& g, int64_t O, const float* dy, const float* w, float* dx,
                          bool& handled) {
  return runConv(
      "conv2d_backward_input", kBackwardData, g, O, handled, [&](const Plan& p) { reorderFilter(p, w); },
      [&](const Plan& p, int i, dnnl::stream& s) {
        ConvEntry& e = p.entry(i);
        std::unordered_map<int, dnnl::memory> args{
            {DNNL_ARG_DIFF_DST, wrap(e.dst, dy + imageOffset(p, i, g.OH, g.OW, O))},
            {DNNL_ARG_WEIGHTS, filterArg(e, w)},
            {DNNL_ARG_DIFF_SRC, wrap(e.src, dx + imageOffset(p, i, g.H, g.W, g.C))}};
        addScratch(args, e, i);
        e.prim.execute(s, args);
      },
      [](const Plan&) {});
}

// Each slice writes its partial dW (slice i into its entry's partial[i], in that entry's layout); `after` sums them
// into slice 0's and converts the sum to ohwi. If the two entries chose different layouts (not seen, but allowed),
// each partial is converted to ohwi first and summed there.
Status conv2dBackwardWeights(const WindowGeometry& g, int64_t O, const float* x, const float* dy, float* dw,
                             bool& handled) {
  auto target = [&](const Plan& p, int i) -> dnnl::memory {
    ConvEntry& e = p.entry(i);
    // One slice without a layout change writes the user's buffer directly.
    return p.count == 1 && !e.w.reorder ? wrap(e.weights, dw) : e.partial[i];
  };
  return runConv(
      "conv2d_backward_filter", kBackwardWeights, g, O, handled, [](const Plan&) {},
      [&](const Plan& p, int i, dnnl::stream& s) {
        ConvEntry& e = p.entry(i);
        std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, wrap(e.src, x + imageOffset(p, i, g.H, g.W, g.C))},
                                                   {DNNL_ARG_DIFF_DST, wrap(e.dst, dy + imageOffset(p, i, g.OH, g.OW, O))},
                                                   {DNNL_ARG_DIFF_WEIGHTS, target(p, i)}};
        addScratch(args, e, i);
        e.prim.execute(s, args);
      },
      [&](const Plan& p) {
        if (p.count == 1 && !p.entry(0).w.reorder) return;
        ConvEntry& e0 = p.entry(0);
        const bool sameLayout = !p.entries[1] || p.entries[1]->w.layout == e0.w.layout;
        const size_t userFloats = e0.weights.get_size() / sizeof(float);
        auto toUser = [&](int i, float* out) {
          ConvEntry& e = p.entry(i);
          if (e.w.reorder) {
            dnnl::memory user = wrap(e.weights, out);
            e.w.fromLayout.execute(cpuStream(), e.partial[i], user);
          } else
            std::copy_n(static_cast<const float*>(e.partial[i].get_data_handle()), userFloats, out);
          cpuStream().wait();
        };
        if (sameLayout) {
          float* sum = static_cast<float*>(e0.partial[0].get_data_handle());
          const size_t n = e0.w.layout.get_size() / sizeof(float);  // padding included: the reorder to ohwi drops it
          for (int i = 1; i < p.count; ++i) {
            const float* part = static_cast<const float*>(p.entry(i).partial[i].get_data_handle());
            for (size_t k = 0; k < n; ++k) sum[k] += part[k];
          }
          toUser(0, dw);
          return;
        }
        std::vector<float> one(userFloats);
        toUser(0, dw);
        for (int i = 1; i < p.count; ++i) {
          toUser(i, one.data());
          for (size_t k = 0; k < userFloats; ++k) dw[k] += one[k];
        }
      });
}

}  // namespace onednn
}  // namespace tn

#endif  // TENSORNODE_HAVE_DNNL
