// The CUDA backend of one device: a stream, stream-ordered memory from the device's pool, and device-side error reports.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "../core/backend.h"
#include "cuda_common.h"

namespace tn {
namespace cuda {

// Created once per device by the CUDA hooks and never destroyed (like every backend, it lives until exit).
class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(int index) : index_(index) {}
  // Creates the stream, configures the memory pool and the report block, starts the reader thread.
  Status init();

  Device device() const override { return Device{DeviceType::CUDA, index_}; }
  Status allocate(size_t nbytes, StoragePtr& out) override;
  Status fromHost(const void* src, size_t nbytes, StoragePtr& out) override;
  Status enqueue(KernelFn fn, std::unique_ptr<KernelContext> ctx) override;
  void readAsync(StoragePtr src, size_t offset, size_t nbytes, HostReadDone done) override;
  Status synchronize() override;
  Status toHostSync(const StoragePtr& src, size_t offset, size_t nbytes, void* dst) override;
  // At the last environment's cleanup or process exit: finishes the reads already queued, joins the reader thread
  // and waits for the kernels queued on the stream, so nothing runs while the CUDA runtime and libraries unload.
  void shutdown() override;

  int index() const { return index_; }
  cudaStream_t stream() const { return stream_; }
  // Makes this backend's device current on the calling thread.
  Status activate(const char* op);
  // Device pointer of the report block, for kernels that validate data.
  DeviceReport* deviceReport() const { return reportDevice_; }
  // Waits for the stream and returns the pool's unused memory to the driver, for libraries that cudaMalloc
  // themselves (cudnnFind* measures algorithms with its own allocations).
  Status releaseCachedMemory(const char* op);
  // Takes (and clears) a report left by kernels that already ran; call only after the stream passed them.
  Status takeReport();

 private:
  struct PendingRead {
    cudaEvent_t event;
    void* pinned;
    size_t nbytes;
    HostReadDone done;
  };
  void readerLoop();
  void* acquirePinned(size_t nbytes, size_t& capacity);
  void releasePinned(void* p, size_t capacity);

  int index_;
  cudaStream_t stream_ = nullptr;
  cudaMemPool_t pool_ = nullptr;
  DeviceReport* reportHost_ = nullptr;
  DeviceReport* reportDevice_ = nullptr;
  std::mutex launchMutex_;  // kernels from several JS threads (workers) share the stream and library handles

  // Async reads: the JS thread queues the copy and an event; this thread waits on the event and calls `done`.
  std::mutex readMutex_;
  std::condition_variable readWake_;
  std::deque<PendingRead> reads_;
  bool stopping_ = false;  // set by shutdown(): the reader drains reads_ and returns
  std::thread reader_;     // joined by shutdown()
  // Pinned staging buffers kept for reuse (capacity -> pointers), bounded by kPinnedCacheBytes.
  std::mutex pinnedMutex_;
  std::vector<std::pair<size_t, void*>> pinnedFree_;
  size_t pinnedCached_ = 0;
};

}  // namespace cuda
}  // namespace tn
