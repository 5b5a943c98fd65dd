// Backend: one device's memory and ordered stream. CPU runs kernels on a worker thread; CUDA on a CUDA stream.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel.h"

namespace tn {

// Called once a host copy of device memory is ready (on some thread; the napi layer hops back to JS).
using HostReadDone = std::function<void(Status, std::shared_ptr<std::vector<uint8_t>>)>;

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Device device() const = 0;

  // Allocates `nbytes` on this device (synchronously, so out-of-memory is reported at the call).
  virtual Status allocate(size_t nbytes, StoragePtr& out) = 0;
  // Copies host bytes into a fresh storage (the caller may reuse `src` when it returns).
  virtual Status fromHost(const void* src, size_t nbytes, StoragePtr& out) = 0;
  // Queues a kernel on the device's stream. An error it raises later poisons its outputs (runQueuedKernel) and is
  // recorded with ctx->owner; it never reaches another environment. May block while the queue is over its bounds.
  virtual Status enqueue(KernelFn fn, std::unique_ptr<KernelContext> ctx) = 0;
  // Queues a copy of `nbytes` at `offset` of `src` to the host; `done` fires when the stream reaches it, with the
  // storage's poison error instead of the bytes when the kernel that wrote it failed.
  virtual void readAsync(StoragePtr src, size_t offset, size_t nbytes, HostReadDone done) = 0;
  // Waits for the work queued so far; returns stream-level failures (kernel errors go to their owner).
  virtual Status synchronize() = 0;
  // Copies device bytes to host memory once the work queued before it has run (blocks the caller); a poisoned
  // storage returns its error and leaves `dst` untouched.
  virtual Status toHostSync(const StoragePtr& src, size_t offset, size_t nbytes, void* dst) = 0;

  // Lifecycle hooks, called by the napi layer's environment cleanup and at process exit (defaults: nothing queued
  // outside the caller's thread). cancel: drops the queued work of an owner whose environment is gone.
  virtual void cancel(const StreamOwner* owner) { (void)owner; }
  // Stops the stream before the process (or the addon) goes away: drops queued work, waits for the running kernel,
  // joins the stream's threads. A later call may start the stream again.
  virtual void shutdown() {}

  // Work queued and not yet finished: kernels and the bytes of their outputs (what backpressure bounds).
  struct QueueStats {
    int64_t kernels = 0;
    int64_t bytes = 0;
  };
  virtual QueueStats queueStats() { return {}; }
  // Calls `ready` (on any thread) once the queue is at or below half its bounds: at once when it already is.
  virtual void whenReady(std::function<void()> ready) { ready(); }
  // Runs `work` at once on the calling thread when the stream is idle (nothing queued, nothing running) and returns
  // true; returns false, without running it, otherwise. For work smaller than a queue hand-off (a tiny kernel, a
  // small read): the result is the same as queueing it, without waking the stream's thread. Default: never.
  virtual bool runNowIfIdle(const std::function<void()>& work) { (void)work; return false; }
  // Runs a small kernel at once on the calling thread when the stream is idle (as runNowIfIdle), leaving `ctx` with
  // the caller, who may reuse it; false when it must be queued (enqueue). Default: never at once.
  virtual bool runKernelNowIfIdle(KernelFn fn, KernelContext& ctx) {
    (void)fn, (void)ctx;
    return false;
  }
  // A small read done at once when the stream is idle: true with `status` and `bytes` set as readAsync would hand
  // them to `done`; false when the read must be queued (readAsync). Default: never at once.
  virtual bool readNowIfIdle(const StoragePtr& src, size_t offset, size_t nbytes, Status& status,
                             std::shared_ptr<std::vector<uint8_t>>& bytes) {
    (void)src, (void)offset, (void)nbytes, (void)status, (void)bytes;
    return false;
  }
};

// What the CUDA module (tensornode_cuda.so, native/cuda) provides once loaded (see core/cuda_module.h).
struct CudaHooks {
  Status (*createBackend)(int index, Backend*& out) = nullptr;
  // JSON object describing versions, devices and usability (or the reason it is unusable).
  std::string (*infoJson)() = nullptr;
  // Copies between a CPU storage and a CUDA storage, ordered after queued work on both sides.
  Status (*copy)(const StoragePtr& src, size_t nbytes, Backend* from, Backend* to, StoragePtr& out) = nullptr;
  void (*setTF32)(bool enabled) = nullptr;
  void (*setBenchmark)(bool enabled) = nullptr;
  // Waits for the device's stream and returns its memory pool's unused memory to the driver.
  Status (*emptyCache)(Backend* cudaBackend) = nullptr;
};
// Loads the CUDA module on first use (thread-safe); null when it is absent or cannot be loaded (cudaInfoJson says why).
const CudaHooks* cudaHooks();
// backendInfo().cuda as JSON: the module's report when loaded, else compiled/loaded flags and the exact reason.
std::string cudaInfoJson();

// The live backend for a device, created lazily; an error explains why a device is unusable.
Status getBackend(const Device& device, Backend*& out);
// Shuts down every live backend's stream (Backend::shutdown); used by the last environment's cleanup and at exit.
void shutdownBackends();
// Every live backend (the CPU one and the CUDA devices created so far).
std::vector<Backend*> liveBackends();

// Copies a storage to another device (ordered after pending work on both); returns the new storage.
Status copyToDevice(const StoragePtr& src, size_t nbytes, const Device& to, StoragePtr& out);

}  // namespace tn
