// libFuzzer target for the native shape/attr readers (core/params, core/attrs): arbitrary shapes, dtypes and attrs
// must give a Status, never a crash, UB or a hang. Built by native/fuzz/CMakeLists.txt (see native/fuzz/README.md).
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "../core/params/conv.h"
#include "../core/params/creation.h"
#include "../core/params/elementwise.h"
#include "../core/params/layout.h"
#include "../core/params/losses.h"
#include "../core/params/matmul.h"
#include "../core/params/optim.h"
#include "../core/params/reduce.h"
#include "../core/params/softmax.h"

namespace {

// Reads the fuzzer's bytes as a little stream; past the end it yields zeros.
struct Bytes {
  const uint8_t* p;
  size_t n;
  uint8_t u8() { return n ? (--n, *p++) : 0; }
  int64_t dim() {
    // Mostly small dims, sometimes the extremes the readers must reject or survive.
    uint8_t k = u8();
    switch (k & 7) {
      case 0: return 0;
      case 1: return int64_t(1) << (u8() % 62);
      case 2: return int64_t(u8()) << 24;
      default: return k >> 3;
    }
  }
  double number() {
    uint8_t k = u8();
    static const double special[] = {0, -1, 1, 0.5, 2147483647.0, 2147483648.0, -2147483649.0, 1e20, -1e300,
                                     1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, 1073741824.0, 1073741825.0, 9.1e15, 3};
    if (k < 64) return special[k & 15];
    if (k < 128) return static_cast<double>(static_cast<int8_t>(u8()));
    double d = 0;
    uint8_t raw[8];
    for (uint8_t& b : raw) b = u8();
    std::memcpy(&d, raw, sizeof d);
    return d;
  }
};

// A shape as napi/convert.cc's parseShape lets it through: dims and their product at most 9e15 (else the call is
// rejected before any reader sees it, and the readers may compute element counts in int64).
bool tensorArg(Bytes& in, tn::TensorArg& t) {
  t.dtype = (in.u8() & 1) ? tn::DType::Int32 : tn::DType::Float32;
  int rank = in.u8() % 7;
  double total = 1;
  for (int i = 0; i < rank; ++i) {
    t.shape.push_back(in.dim());
    if (t.shape.back() > int64_t(9000000000000000)) return false;  // parseShape's per-dim bound
    total *= static_cast<double>(t.shape.back());
  }
  return total <= 9.0e15;  // no storage: the readers look at shapes, dtypes and attrs only
}

const char* const kAttrNames[] = {"strides", "pads", "dilations", "kernel", "axes", "axis", "perm", "begin", "before",
                                  "value", "start", "step", "seed", "rate", "low", "high", "mean", "std", "lr",
                                  "transposeA", "transposeB", "alpha", "min", "max", "beta", "momentum"};

tn::AttrValue attrValue(Bytes& in) {
  tn::AttrValue a;
  uint8_t k = in.u8() % 3;
  if (k == 0) {
    a.kind = tn::AttrValue::Kind::Number;
    a.number = in.number();
  } else if (k == 1) {
    a.kind = tn::AttrValue::Kind::Numbers;
    int count = in.u8() % 9;
    for (int i = 0; i < count; ++i) a.numbers.push_back(in.number());
  } else {
    a.kind = tn::AttrValue::Kind::String;
    a.text = "x";
  }
  return a;
}

// Every reader, chosen by one byte.
void callReader(uint8_t which, const tn::KernelContext& ctx) {
  using namespace tn;
  switch (which % 24) {
    case 0: { WindowGeometry g; (void)readPoolForwardArgs(ctx, g); break; }
    case 1: { WindowGeometry g; (void)readAvgPoolBackwardArgs(ctx, g); break; }
    case 2: { WindowGeometry g; (void)readMaxPoolBackwardArgs(ctx, g); break; }
    case 3: {  // finishGeometry's contract: callers checked a rank-4 image first (checkImage)
      WindowGeometry g;
      if (readWindowAttrs(ctx, true, g).isOk() && !ctx.inputs.empty() && checkImage(ctx, ctx.in(0), "x").isOk())
        (void)finishGeometry(ctx, ctx.in(0).shape, g);
      break;
    }
    case 4: { double v; (void)readFillParams(ctx, v); break; }
    case 5: { double a, b; (void)readArangeParams(ctx, a, b); break; }
    case 6: { RandomParams p; (void)readRandomParams(ctx, which & 32, p); break; }
    case 7: { DropoutParams p; (void)readDropoutParams(ctx, p); break; }
    case 8: { UnaryParams p; (void)readUnaryParams(ctx, p); break; }
    case 9: (void)checkBinaryArgs(ctx); break;
    case 10: { std::vector<int64_t> perm; (void)readTransposeParams(ctx, perm); break; }
    case 11: { int axis; (void)readConcatParams(ctx, axis); break; }
    case 12: { std::vector<int64_t> begin; (void)readSliceParams(ctx, begin); break; }
    case 13: { std::vector<int64_t> before; uint32_t w; (void)readPadParams(ctx, before, w); break; }
    case 14: { CrossEntropyShape s; (void)readCrossEntropyArgs(ctx, nullptr, s); break; }
    case 15: { CrossEntropyShape s; (void)readCrossEntropyBackwardArgs(ctx, nullptr, s); break; }
    case 16: (void)checkSameSizeF32(ctx, ctx.inputs.size(), ctx.outputs.size()); break;
    case 17: { bool a, b; (void)readMatmulAttrs(ctx, a, b); break; }
    case 18: { SgdParams p; (void)readSgdParams(ctx, p); AdamParams q; (void)readAdamParams(ctx, q); break; }
    case 19: { AdagradParams p; (void)readAdagradParams(ctx, p); RmspropParams q; (void)readRmspropParams(ctx, q); break; }
    case 20: { AdamaxParams p; (void)readAdamaxParams(ctx, p); AdadeltaParams q; (void)readAdadeltaParams(ctx, q); break; }
    case 21: {
      std::vector<bool> reduced;
      if (!ctx.inputs.empty() && readReduceAxes(ctx, ctx.in(0).rank(), reduced).isOk())
        (void)mergeReduceGroups(ctx.in(0).shape, reduced);
      break;
    }
    case 22: { ArgmaxParams p; (void)readArgmaxParams(ctx, p); break; }
    default: { SoftmaxRows r; (void)readSoftmaxArgs(ctx, r); (void)readSoftmaxBackwardArgs(ctx, r); break; }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in{data, size};
  uint8_t which = in.u8();
  tn::KernelContext ctx;
  ctx.op = "fuzz";
  int nIn = in.u8() % 4, nOut = in.u8() % 3;
  for (int i = 0; i < nIn + nOut; ++i) {
    tn::TensorArg t;
    if (!tensorArg(in, t)) return 0;  // an input the napi layer rejects: not the readers' to handle
    (i < nIn ? ctx.inputs : ctx.outputs).push_back(std::move(t));
  }
  int nAttrs = in.u8() % 6;
  for (int i = 0; i < nAttrs; ++i) {
    const char* name = kAttrNames[in.u8() % (sizeof kAttrNames / sizeof kAttrNames[0])];
    ctx.attrs.set(name, attrValue(in));
  }
  callReader(which, ctx);
  return 0;
}
