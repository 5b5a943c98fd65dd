// The CPU engine switch (oneDNN or the im2col/OpenBLAS fallback) and the oneDNN entry points for conv and pooling.
#pragma once
#include <string>

#include "../../core/params/conv.h"
#include "../../core/status.h"
#include "../kernels/bias_act.h"

namespace tn {
namespace onednn {

// True when this build links oneDNN (CMake found it; node-gyp found its header).
bool compiled();
// True when conv/pool kernels go through oneDNN now: compiled, and the engine is 'onednn' (the default;
// TENSORNODE_CPU_ENGINE=fallback or setEngine("fallback") selects im2col + GEMM and the scalar pool loops).
bool active();
// "onednn" or "fallback".
const char* engineName();
// Selects the engine by name; a ValueError for an unknown name or 'onednn' in a build without oneDNN.
Status setEngine(const std::string& name);
// "2.6.3" or "" when not compiled; the instruction set oneDNN dispatches to ("avx2", "avx512_core", ...).
std::string version();
std::string isa();
// "omp" (oneDNN's OpenMP runtime) or "none".
const char* threadingRuntime();
// Kernels oneDNN ran, and kernels it left to the fallback (a shape only its reference code takes), since start.
int64_t kernelsRun();
int64_t kernelsDeclined();
// Counts one kernel (called by the oneDNN entries).
void countKernel(bool ran);

// Each entry runs one whole kernel on the calling (stream) thread; `handled` is false when the shape is one oneDNN
// does not take (the caller then runs the fallback). Pointers are the kernel contract's NHWC / [O,kh,kw,C] buffers.
// conv2dForward applies `epilogue` (bias + activation, when set) to each slice's output right after computing it.
Status conv2dForward(const WindowGeometry& g, int64_t O, const float* x, const float* w, float* y,
                     const cpu::BiasActEpilogue& epilogue, bool& handled);
Status conv2dBackwardData(const WindowGeometry& g, int64_t O, const float* dy, const float* w, float* dx,
                          bool& handled);
Status conv2dBackwardWeights(const WindowGeometry& g, int64_t O, const float* x, const float* dy, float* dw,
                             bool& handled);
Status poolForward(bool isMax, const WindowGeometry& g, const float* x, float* y, bool& handled);
// max: x is needed to find each window's winner (the forward runs again to rebuild oneDNN's workspace); avg: x unused.
Status poolBackward(bool isMax, const WindowGeometry& g, const float* x, const float* dy, float* dx, bool& handled);

}  // namespace onednn
}  // namespace tn
