// Argument checks of the fused bias + activation kernels (bias_act and its backward), shared by CPU and CUDA.
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {

// The tensor as [rows, C] (C: its last dim, the bias length) and the activation (rnn::Act code, attr `activation`:
// linear, tanh, sigmoid, hard sigmoid or relu; the backward needs a derivative it can take from the output).
struct BiasActDims {
  int64_t rows = 0, C = 0;
  int act = 0;
};
// bias_act: (x [..., C], bias [C]) -> y = act(x + bias), float32, y the shape of x.
Status readBiasActArgs(const KernelContext& ctx, BiasActDims& d);
// bias_act_backward: (y, dy) -> (dx = dy * act'(y), dbias = dx summed over every dim but the last [C]).
Status readBiasActBackwardArgs(const KernelContext& ctx, BiasActDims& d);

// conv2d's optional fused epilogue: a third input `bias` [O] (float32) and attr `activation`, y = act(conv + bias).
// Checks the arity (2 or 3 inputs, 1 output); hasBias false and act 0 without the third input (an activation then
// is an error: the epilogue comes with its bias).
Status readConvEpilogue(const KernelContext& ctx, int64_t O, bool& hasBias, int& act);

}  // namespace tn
