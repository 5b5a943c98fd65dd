// CPU stream: JS enqueues kernels and returns at once; one worker thread runs them in order, kernels fan out via
// parallelFor. The queue is bounded (backpressure), errors poison outputs, and the thread stops before exit.
#include "cpu_backend.h"

#include "host_block_cache.h"
#include "thread_pool.h"

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <thread>

namespace tn {

namespace {

// Queue bounds: past either one, enqueue waits for the stream (a loop that never awaits stays bounded in memory).
constexpr int64_t kMaxQueuedKernels = 1024;
// A kernel whose inputs and outputs total at most this many bytes runs on the calling thread when the stream is idle:
// waking the stream thread (a futex wake, a context switch, memory freed on another thread, and for a read the wait
// for it) costs about as much as such a kernel. Bytes bound the work loosely: the largest kernels under 1 MiB (a
// 3x3 convolution with ~1 MiB of weights on a small image, a 256^3 GEMM) take a few hundred microseconds, and
// training-size tensors (a batch-64 convolution's activations) stay far above it, so training keeps queueing while
// the JS thread runs ahead. Below the bound a small model's batch-1 forward pass stays on the caller: one queued
// kernel makes every later one queue behind it (stream order), and the MNIST CNN's dense weights (400 KiB) did at
// 256 KiB. Measured, predict p50 / p99 on a quiet machine: 64 KiB ~240 / -, 256 KiB 190-208 / 1150-1290 us, 1 MiB
// 125-127 / 640 us; MNIST training unchanged. TENSORNODE_INLINE_KB overrides the bound (0 queues every kernel).
int64_t inlineKernelBytes() {
  static const int64_t bytes = [] {
    const char* env = std::getenv("TENSORNODE_INLINE_KB");
    long kb = env ? std::strtol(env, nullptr, 10) : -1;
    return static_cast<int64_t>(kb >= 0 ? kb : 1024) << 10;
  }();
  return bytes;
}
// Reads up to this size are copied on the calling thread when the stream is idle (a memcpy of 256 KiB takes
// ~20 us; the hand-off to the stream thread and back to the event loop takes ~100).
constexpr size_t kInlineReadBytes = 256 << 10;

// The one host copy of a read (the napi layer hands the buffer to JS without copying it again), or the storage's
// poison error: a storage whose kernel failed is never read back.
void copyToHost(const Storage& src, size_t offset, size_t nbytes, Status& status,
                std::shared_ptr<std::vector<uint8_t>>& bytes) {
  if (const Status* p = src.poisoned()) {
    status = *p;
    return;
  }
  bytes = std::make_shared<std::vector<uint8_t>>();
  try {
    bytes->resize(nbytes);
  } catch (const std::bad_alloc&) {
    bytes.reset();
    status = makeError(ErrorKind::OutOfMemory, "read: out of memory allocating ", nbytes, " bytes of host memory");
    return;
  }
  if (nbytes) std::memcpy(bytes->data(), static_cast<const uint8_t*>(src.data()) + offset, nbytes);
  status = Status::ok();
}
int64_t maxQueuedBytes() {
  static const int64_t bytes = [] {
    const char* env = std::getenv("TENSORNODE_QUEUE_MB");
    long mb = env ? std::strtol(env, nullptr, 10) : 0;
    return static_cast<int64_t>(mb > 0 ? mb : 1024) << 20;
  }();
  return bytes;
}

class CpuBackend final : public Backend {
 public:
  Device device() const override { return Device{DeviceType::CPU, 0}; }

  Status allocate(size_t nbytes, StoragePtr& out) override {
    // 64-byte alignment for vector loads; at least one byte so empty tensors still own a valid pointer.
    size_t rounded = ((nbytes == 0 ? 1 : nbytes) + 63) / 64 * 64;
    void* p = acquireHostBlock(rounded);
    TN_CHECK(p, OutOfMemory, "cpu: out of memory allocating ", nbytes, " bytes");
    out = std::make_shared<Storage>(device(), p, nbytes, [rounded](void* q) { releaseHostBlock(q, rounded); });
    return Status::ok();
  }

  Status fromHost(const void* src, size_t nbytes, StoragePtr& out) override {
    TN_RETURN_IF_ERROR(allocate(nbytes, out));
    if (nbytes) std::memcpy(out->data(), src, nbytes);  // fresh memory: no queued kernel can touch it yet
    return Status::ok();
  }

  bool runKernelNowIfIdle(KernelFn fn, KernelContext& ctx) override {
    int64_t bytes = 0;
    for (const TensorArg& o : ctx.outputs) bytes += static_cast<int64_t>(o.storage->nbytes());
    for (const TensorArg& in : ctx.inputs) bytes += static_cast<int64_t>(in.storage->nbytes());
    return bytes <= inlineKernelBytes() && runNowIfIdle([&] { runQueuedKernel(fn, ctx); });
  }

  Status enqueue(KernelFn fn, std::unique_ptr<KernelContext> ctx) override {
    if (runKernelNowIfIdle(fn, *ctx)) return Status::ok();
    int64_t bytes = 0;
    for (const TensorArg& o : ctx->outputs) bytes += static_cast<int64_t>(o.storage->nbytes());
    const StreamOwner* owner = ctx->owner.get();
    Task task;
    task.fn = fn;
    task.ctx = std::move(ctx);
    task.owner = owner;
    task.bytes = bytes;
    TN_CHECK(push(std::move(task)), Device, "cpu: the stream is shutting down");
    return Status::ok();
  }

  void readAsync(StoragePtr src, size_t offset, size_t nbytes, HostReadDone done) override {
    Task task;
    task.run = [src, offset, nbytes, done] {
      Status status;
      std::shared_ptr<std::vector<uint8_t>> bytes;
      copyToHost(*src, offset, nbytes, status, bytes);
      done(status, bytes);
    };
    if (!push(std::move(task))) done(makeError(ErrorKind::Device, "read: the cpu stream is shutting down"), nullptr);
  }

  bool readNowIfIdle(const StoragePtr& src, size_t offset, size_t nbytes, Status& status,
                     std::shared_ptr<std::vector<uint8_t>>& bytes) override {
    return nbytes <= kInlineReadBytes && runNowIfIdle([&] { copyToHost(*src, offset, nbytes, status, bytes); });
  }

  Status synchronize() override {
    return runAndWait([] { return Status::ok(); });
  }

  Status toHostSync(const StoragePtr& src, size_t offset, size_t nbytes, void* dst) override {
    // Copied once the work before it ran (on the stream thread, or here when the stream is idle), straight into the
    // caller's (JS) buffer.
    return runAndWait([&] {
      if (const Status* p = src->poisoned()) return *p;
      if (nbytes) std::memcpy(dst, static_cast<uint8_t*>(src->data()) + offset, nbytes);
      return Status::ok();
    });
  }

  void cancel(const StreamOwner* owner) override {
    std::deque<Task> dropped;  // destroyed outside the lock: releasing storages frees memory
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->ctx && it->owner == owner) {
          finishAccounting(*it);
          dropped.push_back(std::move(*it));
          it = queue_.erase(it);
        } else {
          ++it;
        }
      }
    }
    space_.notify_all();
    fireReadyIfBelow();
  }

  void shutdown() override {
    std::deque<Task> dropped;
    std::thread worker;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      for (Task& t : queue_) finishAccounting(t);
      dropped.swap(queue_);
      worker.swap(worker_);
    }
    wake_.notify_all();
    space_.notify_all();
    if (worker.joinable()) worker.join();  // the running kernel finishes first; nothing else starts
    // Dropped kernels poison their outputs, so the reads and waits queued after them (run here, in order) report
    // the shutdown rather than memory no kernel wrote.
    for (Task& t : dropped) {
      if (t.ctx) {
        Status s = makeError(ErrorKind::Device, t.ctx->op, ": cancelled, the cpu stream shut down");
        for (TensorArg& out : t.ctx->outputs) out.storage->poison(s);
      } else if (t.run) {
        t.run();
      }
    }
    dropped.clear();
    std::vector<std::function<void()>> ready;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = false;  // a later environment (a new worker) may start the stream again
      ready.swap(ready_);
    }
    for (auto& r : ready) r();
  }

  QueueStats queueStats() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return QueueStats{kernels_, bytes_};
  }

  bool runNowIfIdle(const std::function<void()>& work) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_ || running_ || !queue_.empty()) return false;
      running_ = true;  // the stream thread starts nothing until this work is done: stream order holds
    }
    work();
    bool more = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      running_ = false;
      more = !queue_.empty();  // pushed by another thread (a worker_threads environment) meanwhile
    }
    if (more) wake_.notify_one();
    return true;
  }

  void whenReady(std::function<void()> ready) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!belowHalf()) {
        ready_.push_back(std::move(ready));
        return;
      }
    }
    ready();
  }

 private:
  // A kernel (fn + ctx) or another step in stream order (a read, a wait marker).
  struct Task {
    KernelFn fn = nullptr;
    std::shared_ptr<KernelContext> ctx;
    std::function<void()> run;
    const StreamOwner* owner = nullptr;  // identity only (cancel); the context holds the owner alive
    int64_t bytes = 0;
  };

  bool belowHalf() const { return kernels_ <= kMaxQueuedKernels / 2 && bytes_ <= maxQueuedBytes() / 2; }

  void finishAccounting(bool kernel, int64_t bytes) {
    if (kernel) --kernels_;
    bytes_ -= bytes;
  }
  void finishAccounting(const Task& t) { finishAccounting(t.ctx != nullptr, t.bytes); }

  // Runs `fn` on the stream thread after everything queued before it, blocking the caller until it returns.
  template <typename Fn>
  Status runAndWait(Fn&& fn) {
    Status now;
    if (runNowIfIdle([&] { now = fn(); })) return now;
    struct Wait {
      std::mutex m;
      std::condition_variable cv;
      bool done = false;
      Status status;
    };
    auto wait = std::make_shared<Wait>();
    Task task;
    // Runs on the stream thread, or on the shutting-down thread when a shutdown drops the queue (never both).
    task.run = [wait, &fn] {
      Status s = fn();
      std::lock_guard<std::mutex> lock(wait->m);
      wait->status = s;
      wait->done = true;
      wait->cv.notify_all();
    };
    if (!push(std::move(task))) return makeError(ErrorKind::Device, "cpu: the stream is shutting down");
    std::unique_lock<std::mutex> lock(wait->m);
    wait->cv.wait(lock, [&] { return wait->done; });
    return wait->status;
  }

  // Queues a task, waiting first while a kernel would take the queue past its bounds. False when shutting down.
  bool push(Task task) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (stopping_) return false;
      if (task.ctx) {
        space_.wait(lock, [&] {
          return stopping_ || kernels_ == 0 ||
                 (kernels_ < kMaxQueuedKernels && bytes_ + task.bytes <= maxQueuedBytes());
        });
        if (stopping_) return false;
        ++kernels_;
      }
      bytes_ += task.bytes;
      queue_.push_back(std::move(task));
      if (!worker_.joinable()) worker_ = std::thread([this] { loop(); });
    }
    wake_.notify_one();
    return true;
  }

  void loop() {
    lowerCurrentThreadPriority();
    for (;;) {
      Task task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return (!queue_.empty() && !running_) || stopping_; });
        if (stopping_) return;
        task = std::move(queue_.front());
        queue_.pop_front();
        running_ = true;
      }
      if (task.ctx) runQueuedKernel(task.fn, *task.ctx);
      else task.run();
      bool kernel = task.ctx != nullptr;
      int64_t bytes = task.bytes;
      task = Task();  // release the kernel's storages on this thread, before the space is given back
      {
        std::lock_guard<std::mutex> lock(mutex_);
        finishAccounting(kernel, bytes);
        running_ = false;
      }
      if (kernel) space_.notify_all();
      fireReadyIfBelow();
    }
  }

  void fireReadyIfBelow() {
    std::vector<std::function<void()>> ready;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (ready_.empty() || !belowHalf()) return;
      ready.swap(ready_);
    }
    for (auto& r : ready) r();
  }

  std::mutex mutex_;
  std::condition_variable wake_, space_;
  std::deque<Task> queue_;
  int64_t kernels_ = 0, bytes_ = 0;
  bool stopping_ = false;
  bool running_ = false;  // a task runs (on the stream thread, or inline through runNowIfIdle)
  std::vector<std::function<void()>> ready_;
  std::thread worker_;  // started by the first push, joined by shutdown()
};

}  // namespace

Backend* cpuBackend() {
  static auto* backend = new CpuBackend();  // never destroyed; shutdown() joins its thread before exit
  return backend;
}

}  // namespace tn
