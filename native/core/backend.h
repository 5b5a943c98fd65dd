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
  // Queues a kernel on the device's stream; errors it raises later are kept and reported by the next sync/read.
  virtual Status enqueue(KernelFn fn, std::unique_ptr<KernelContext> ctx) = 0;
  // Queues a copy of `nbytes` at `offset` of `src` to the host; `done` fires when the stream reaches it.
  virtual void readAsync(StoragePtr src, size_t offset, size_t nbytes, HostReadDone done) = 0;
  // Waits for all queued work, then returns (and clears) the first error raised since the last sync.
  virtual Status synchronize() = 0;
  // Copies device bytes to host memory, waiting for queued work first (blocks the caller).
  virtual Status toHostSync(const StoragePtr& src, size_t offset, size_t nbytes, void* dst) = 0;
};

// What the CUDA part of the addon provides when it is compiled in (set by native/cuda at load).
struct CudaHooks {
  Status (*createBackend)(int index, Backend*& out) = nullptr;
  // JSON object describing versions, devices and usability (or the reason it is unusable).
  std::string (*infoJson)() = nullptr;
  // Copies between a CPU storage and a CUDA storage, ordered after queued work on both sides.
  Status (*copy)(const StoragePtr& src, size_t nbytes, Backend* from, Backend* to, StoragePtr& out) = nullptr;
  void (*setTF32)(bool enabled) = nullptr;
  void (*setBenchmark)(bool enabled) = nullptr;
};
void setCudaHooks(const CudaHooks& hooks);
const CudaHooks* cudaHooks();  // null when the CUDA backend was not compiled

// The live backend for a device, created lazily; an error explains why a device is unusable.
Status getBackend(const Device& device, Backend*& out);
// Copies a storage to another device (ordered after pending work on both); returns the new storage.
Status copyToDevice(const StoragePtr& src, size_t nbytes, const Device& to, StoragePtr& out);

}  // namespace tn
