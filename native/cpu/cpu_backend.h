// The CPU backend: host memory and a single worker thread that runs queued kernels in order.
#pragma once
#include "../core/backend.h"

namespace tn {

Backend* cpuBackend();

}  // namespace tn
