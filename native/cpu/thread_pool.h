// A fixed pool of threads for data-parallel loops inside CPU kernels (parallelFor).
#pragma once
#include <cstdint>
#include <functional>

namespace tn {

// Runs fn(begin, end) over [0, n) split into chunks of at least `grain` items, on the CPU pool.
// Called from the CPU stream's worker thread; runs inline when the range is small or the pool has one thread.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// Threads used by CPU kernels (and by BLAS): defaults to the machine's cores or TENSORNODE_NUM_THREADS.
int cpuThreadCount();

// Lowers the calling thread's scheduling priority a little (Linux nice +5) so that, when cores are scarce,
// the JS thread wins over kernel threads and the event loop stays responsive. No-op elsewhere.
void lowerCurrentThreadPriority();
void setCpuThreadCount(int n);

}  // namespace tn
