// The CPU thread pool: workers wait on a generation counter and each takes a share of the current range.
#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace tn {

namespace {

class ThreadPool {
 public:
  explicit ThreadPool(int threads) { resize(threads); }

  int size() const { return size_.load(std::memory_order_relaxed); }  // workers + 1: the calling thread works too

  // Serialized with other resizes and with run(): two threads calling setNumThreads at once, or a resize while a
  // kernel's parallelFor is in flight, would otherwise join and replace the same workers concurrently.
  void resize(int threads) {
    std::lock_guard<std::mutex> lifecycle(lifecycle_);
    stopWorkers();
    stop_ = false;
    for (int i = 0; i < threads - 1; ++i)
      workers_.emplace_back([this] {
        lowerCurrentThreadPriority();
        workerLoop();
      });
    size_ = static_cast<int>(workers_.size()) + 1;
  }

  void run(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
    std::lock_guard<std::mutex> lifecycle(lifecycle_);
    int64_t maxChunks = std::max<int64_t>(1, n / std::max<int64_t>(1, grain));
    int64_t chunks = std::min<int64_t>(size(), maxChunks);
    if (chunks <= 1) {
      fn(0, n);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      total_ = n;
      chunks_ = chunks;
      nextChunk_ = 0;
      pending_ = chunks;
      ++generation_;
    }
    wake_.notify_all();
    drainChunks();
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

  ~ThreadPool() { stopWorkers(); }

 private:
  void drainChunks() {
    for (;;) {
      int64_t c = nextChunk_.fetch_add(1);
      if (c >= chunks_) return;
      int64_t begin = total_ * c / chunks_, end = total_ * (c + 1) / chunks_;
      (*job_)(begin, end);
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0) done_.notify_all();
    }
  }

  void workerLoop() {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      drainChunks();
    }
  }

  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  std::vector<std::thread> workers_;
  std::atomic<int> size_{1};
  std::mutex lifecycle_;  // held by resize() and run(): the worker set never changes under a running job
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t total_ = 0, chunks_ = 0;
  std::atomic<int64_t> nextChunk_{0};
  int64_t pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

// TENSORNODE_NUM_THREADS when it is a whole number (clamped to [1, kMaxCpuThreads]; the JS loader already warned
// about and rewrote a bad value), else the machine's cores (also capped).
int defaultThreads() {
  if (const char* env = std::getenv("TENSORNODE_NUM_THREADS")) {
    char* end = nullptr;
    long long n = std::strtoll(env, &end, 10);
    if (end != env && *end == '\0') return static_cast<int>(std::clamp<long long>(n, 1, kMaxCpuThreads));
  }
  return std::clamp<int>(static_cast<int>(std::thread::hardware_concurrency()), 1, kMaxCpuThreads);
}

ThreadPool& pool() {
  static auto* p = new ThreadPool(defaultThreads());  // never destroyed: workers may be parked at exit
  return *p;
}

}  // namespace

namespace {
thread_local bool tInsideParallelFor = false;  // nested parallelFor runs inline instead of deadlocking the pool
}

void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (tInsideParallelFor) {
    fn(0, n);
    return;
  }
  tInsideParallelFor = true;
  pool().run(n, grain, [&](int64_t b, int64_t e) {
    bool outer = tInsideParallelFor;
    tInsideParallelFor = true;
    fn(b, e);
    tInsideParallelFor = outer;
  });
  tInsideParallelFor = false;
}

bool insideParallelFor() { return tInsideParallelFor; }

int cpuThreadCount() { return pool().size(); }

void lowerCurrentThreadPriority() {
#ifdef __linux__
  // Per-thread on Linux: setpriority with a thread id changes only that thread. Failure is harmless.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
#endif
}

void setCpuThreadCount(int n) { pool().resize(std::clamp(n, 1, kMaxCpuThreads)); }

}  // namespace tn
