// A fixed pool of threads for data-parallel loops inside CPU kernels (parallelFor).
#pragma once
#include <cstdint>
#include <functional>

namespace tn {

// The most threads setNumThreads and TENSORNODE_NUM_THREADS accept (lib/thread_env.ts has the same cap).
constexpr int kMaxCpuThreads = 1024;

// Runs fn(begin, end) over [0, n) split into chunks of at least `grain` items, on the CPU pool.
// Called from the CPU stream's worker thread; runs inline when the range is small or the pool has one thread.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);
// True on a thread that is running a parallelFor chunk (where a nested parallelFor runs inline).
bool insideParallelFor();

// Threads used by CPU kernels, our split of BLAS GEMMs and oneDNN: the machine's cores or TENSORNODE_NUM_THREADS.
int cpuThreadCount();

// Lowers the calling thread's scheduling priority a little (Linux nice +5) so that, when cores are scarce,
// the JS thread wins over kernel threads and the event loop stays responsive. No-op elsewhere.
void lowerCurrentThreadPriority();
// Resizes the pool (clamped to [1, kMaxCpuThreads]); safe from any thread, serialized with running kernels.
void setCpuThreadCount(int n);

}  // namespace tn
