// CPU stream: JS enqueues kernels and returns at once; one worker thread runs them in order, kernels fan out via parallelFor.
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

class CpuBackend final : public Backend {
 public:
  CpuBackend() : worker_([this] { loop(); }) { worker_.detach(); }  // lives until process exit

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

  Status enqueue(KernelFn fn, std::unique_ptr<KernelContext> ctx) override {
    std::shared_ptr<KernelContext> shared(std::move(ctx));
    push([this, fn, shared] {
      Status s = fn(*shared);
      if (!s.isOk()) recordError(s);
    });
    return Status::ok();
  }

  void readAsync(StoragePtr src, size_t offset, size_t nbytes, HostReadDone done) override {
    push([this, src, offset, nbytes, done] {
      auto bytes = std::make_shared<std::vector<uint8_t>>(nbytes);
      if (nbytes) std::memcpy(bytes->data(), static_cast<uint8_t*>(src->data()) + offset, nbytes);
      done(takeError(), bytes);
    });
  }

  Status synchronize() override {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
    Status s = error_;
    error_ = Status::ok();
    return s;
  }

  Status toHostSync(const StoragePtr& src, size_t offset, size_t nbytes, void* dst) override {
    Status s = synchronize();
    if (nbytes) std::memcpy(dst, static_cast<uint8_t*>(src->data()) + offset, nbytes);
    return s;
  }

 private:
  void push(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(task));
    }
    wake_.notify_one();
  }

  void loop() {
    lowerCurrentThreadPriority();
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return !queue_.empty(); });
        task = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
      }
      task();
      task = nullptr;  // release the kernel's storages on this thread, before reporting idle
      {
        std::lock_guard<std::mutex> lock(mutex_);
        busy_ = false;
        if (queue_.empty()) idle_.notify_all();
      }
    }
  }

  void recordError(const Status& s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (error_.isOk()) error_ = s;
  }

  Status takeError() {
    std::lock_guard<std::mutex> lock(mutex_);
    Status s = error_;
    error_ = Status::ok();
    return s;
  }

  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<std::function<void()>> queue_;
  bool busy_ = false;
  Status error_;
  std::thread worker_;
};

}  // namespace

Backend* cpuBackend() {
  static auto* backend = new CpuBackend();  // never destroyed: its worker runs until process exit
  return backend;
}

}  // namespace tn
