// Argument checks of the fused recurrent kernels (lstm/gru/simple_rnn sequence, forward and backward), shared by the
// CPU and CUDA backends. Layouts: xw [B,T,G*U] (x W + b, gates side by side), states [B,U], R [U,G*U].
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {
namespace rnn {

enum class Cell { Simple, Lstm, Gru };

struct Dims {
  int64_t B = 0, T = 0, U = 0, G = 1;  // batch, steps, units, gates (1, 4 or 3)
  int act = 1, recAct = 2;             // activation codes (cells.h)
  bool reverse = false;                // goBackwards: step s reads input t = T-1-s (outputs stay in step order)
  bool resetAfter = false;             // GRU only
  bool masked = false;                 // a recurrent-dropout mask [B,U] follows the other inputs
};

// Reads attrs and checks every input/output's dtype and shape for `cell`'s forward (backward = false) or backward.
Status readRnnArgs(const KernelContext& ctx, Cell cell, bool backward, Dims& d);

// The input time index of step s.
inline int64_t inputStep(const Dims& d, int64_t s) { return d.reverse ? d.T - 1 - s : s; }

}  // namespace rnn
}  // namespace tn
