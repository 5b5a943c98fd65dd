// The bias + activation epilogue as a CPU loop other kernels call on rows they just wrote (conv2d's fused epilogue).
#pragma once
#include <cstdint>

namespace tn {
namespace cpu {

// What a kernel applies to its output rows after computing them: y = act(y + bias) per row of C; none when bias is null.
struct BiasActEpilogue {
  const float* bias = nullptr;
  int act = 0;  // rnn::Act code
  explicit operator bool() const { return bias != nullptr; }
};

// y[r, c] = act(y[r, c] + bias[c]) for `rows` rows of C, in place, on the calling thread.
void applyBiasActInPlace(const BiasActEpilogue& e, float* y, int64_t rows, int64_t C);

}  // namespace cpu
}  // namespace tn
