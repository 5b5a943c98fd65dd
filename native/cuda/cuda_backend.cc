// CUDA backend: stream-ordered allocation, kernel launch on the calling thread, async reads via events and a reader thread.
#include "cuda_backend.h"

#include <cstdlib>
#include <cstring>

namespace tn {
namespace cuda {

namespace {
constexpr size_t kPinnedCacheBytes = 64ull << 20;  // staging buffers kept for reuse by async reads and uploads
constexpr size_t kPinnedMinBytes = 4096;
// Uploads at least this big are staged through pinned buffers (smaller ones the driver stages itself and returns).
constexpr size_t kStageMinBytes = 64ull << 10;

// Events the reader thread waits on: blocking sync, so the wait sleeps instead of spinning a CPU core.
cudaError_t createWaitEvent(cudaEvent_t* e) {
  return cudaEventCreateWithFlags(e, cudaEventDisableTiming | cudaEventBlockingSync);
}

// The pool keeps at most this much freed memory across synchronizations (TENSORNODE_CUDA_POOL_KEEP_MB, default half
// the device): enough for a training loop to allocate without driver calls, finite so that memory freed after a
// peak goes back to the driver for cuDNN/cuBLAS and lazily loaded kernels.
uint64_t poolKeepBytes(int index) {
  if (const char* env = std::getenv("TENSORNODE_CUDA_POOL_KEEP_MB")) {
    char* end = nullptr;
    unsigned long long mb = std::strtoull(env, &end, 10);
    if (end != env) return static_cast<uint64_t>(mb) << 20;
  }
  size_t freeBytes = 0, totalBytes = 0;
  cudaSetDevice(index);
  if (cudaMemGetInfo(&freeBytes, &totalBytes) != cudaSuccess) {
    cudaGetLastError();
    return 1ull << 30;
  }
  return totalBytes / 2;
}
}  // namespace

Status cudaError(cudaError_t err, const char* op, const char* call) {
  cudaGetLastError();  // clear the (non-sticky) last-error state so the next unrelated call does not see it
  ErrorKind kind = ErrorKind::Backend;
  if (err == cudaErrorMemoryAllocation) kind = ErrorKind::OutOfMemory;
  if (err == cudaErrorNoDevice || err == cudaErrorInsufficientDriver || err == cudaErrorInvalidDevice ||
      err == cudaErrorDevicesUnavailable || err == cudaErrorNoKernelImageForDevice)
    kind = ErrorKind::Device;
  return makeError(kind, op, ": ", call, " failed: ", cudaGetErrorString(err), " (", cudaGetErrorName(err), ")");
}

Status launchStatus(const char* op) {
  cudaError_t err = cudaGetLastError();
  if (err == cudaSuccess) return Status::ok();
  return cudaError(err, op, "kernel launch");
}

CudaBackend* backendOf(const KernelContext& ctx) { return static_cast<CudaBackend*>(ctx.backend); }
cudaStream_t streamOf(const KernelContext& ctx) { return backendOf(ctx)->stream(); }
DeviceReport* deviceReportOf(const KernelContext& ctx) { return backendOf(ctx)->deviceReport(); }

Status scratch(const KernelContext& ctx, size_t nbytes, StoragePtr& out) { return backendOf(ctx)->allocate(nbytes, out); }

Status CudaBackend::activate(const char* op) {
  TN_CUDA_RETURN(cudaSetDevice(index_), op);
  return Status::ok();
}

Status CudaBackend::init() {
  const char* op = "cuda backend";
  TN_RETURN_IF_ERROR(activate(op));
  int poolsSupported = 0;
  TN_CUDA_RETURN(cudaDeviceGetAttribute(&poolsSupported, cudaDevAttrMemoryPoolsSupported, index_), op);
  TN_CHECK(poolsSupported, Device, "cuda:", index_, " does not support stream-ordered memory pools (cudaMallocAsync)");
  TN_CUDA_RETURN(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), op);
  TN_CUDA_RETURN(cudaDeviceGetDefaultMemPool(&pool_, index_), op);
  // Keep freed memory in the pool (up to a finite threshold) instead of returning it to the driver at every
  // synchronization: allocation then costs no driver call in a training loop.
  uint64_t threshold = poolKeepBytes(index_);
  TN_CUDA_RETURN(cudaMemPoolSetAttribute(pool_, cudaMemPoolAttrReleaseThreshold, &threshold), op);
  void* report = nullptr;
  TN_CUDA_RETURN(cudaHostAlloc(&report, sizeof(DeviceReport), cudaHostAllocMapped | cudaHostAllocPortable), op);
  std::memset(report, 0, sizeof(DeviceReport));
  reportHost_ = static_cast<DeviceReport*>(report);
  void* devicePtr = nullptr;
  TN_CUDA_RETURN(cudaHostGetDevicePointer(&devicePtr, report, 0), op);
  reportDevice_ = static_cast<DeviceReport*>(devicePtr);
  reader_ = std::thread([this] { readerLoop(); });  // joined by shutdown(); the backend lives until process exit
  return Status::ok();
}

Status CudaBackend::allocate(size_t nbytes, StoragePtr& out) {
  TN_RETURN_IF_ERROR(activate("allocate"));
  void* p = nullptr;
  // At least one byte so empty tensors still own a valid pointer (as on CPU).
  cudaError_t err = cudaMallocAsync(&p, nbytes == 0 ? 1 : nbytes, stream_);
  if (err == cudaErrorMemoryAllocation) {
    // The pool may hold freed blocks that do not fit this request, or frees still pending on the stream: wait for
    // them, return everything unused to the driver, and try once more.
    cudaGetLastError();
    if (cudaStreamSynchronize(stream_) == cudaSuccess && cudaMemPoolTrimTo(pool_, 0) == cudaSuccess)
      err = cudaMallocAsync(&p, nbytes == 0 ? 1 : nbytes, stream_);
  }
  if (err != cudaSuccess) {
    cudaGetLastError();
    size_t freeBytes = 0, totalBytes = 0;
    cudaMemGetInfo(&freeBytes, &totalBytes);
    cudaGetLastError();
    return makeError(err == cudaErrorMemoryAllocation ? ErrorKind::OutOfMemory : ErrorKind::Backend, "cuda:", index_,
                     ": cannot allocate ", nbytes, " bytes (", cudaGetErrorString(err), "; ", freeBytes, " of ",
                     totalBytes, " bytes free on the device)");
  }
  cudaStream_t stream = stream_;
  const int index = index_;
  // Freed on the same stream: the memory is reused only after every kernel queued before the free has run, so
  // dropping the last reference right after queuing a kernel is safe. The last reference may go on any thread with
  // any current device (multi-GPU), so the free sets this device and restores the caller's. Errors at exit (runtime
  // unloading) are ignored.
  out = std::make_shared<Storage>(device(), p, nbytes, [stream, index](void* q) {
    int current = -1;
    const bool restore = cudaGetDevice(&current) == cudaSuccess && current != index;
    if (restore) cudaSetDevice(index);
    cudaFreeAsync(q, stream);
    if (restore) cudaSetDevice(current);
    cudaGetLastError();
  });
  return Status::ok();
}

Status CudaBackend::fromHost(const void* src, size_t nbytes, StoragePtr& out) {
  TN_RETURN_IF_ERROR(allocate(nbytes, out));
  if (nbytes == 0) return Status::ok();
  // A copy from pageable memory may wait for the stream to reach it (the driver stages it through its own buffers),
  // which would block the JS thread on every batch upload. So uploads are copied into a pinned staging buffer here
  // and copied from there asynchronously; the reader thread returns the buffer to the cache once an event says the
  // copy is done. Tiny uploads (the driver returns at once) and ones larger than the staging cache copy directly.
  if (nbytes >= kStageMinBytes && nbytes <= kPinnedCacheBytes) {
    size_t capacity = 0;
    if (void* pinned = acquirePinned(nbytes, capacity)) {
      std::memcpy(pinned, src, nbytes);
      cudaError_t err = cudaMemcpyAsync(out->data(), pinned, nbytes, cudaMemcpyHostToDevice, stream_);
      cudaEvent_t copied = nullptr;
      if (err == cudaSuccess) err = createWaitEvent(&copied);
      if (err == cudaSuccess) err = cudaEventRecord(copied, stream_);
      if (err != cudaSuccess) {
        if (copied) cudaEventDestroy(copied);
        cudaStreamSynchronize(stream_);  // the buffer may be in use by a queued copy
        releasePinned(pinned, capacity);
        return cudaError(err, "fromHost", "staged cudaMemcpyAsync");
      }
      {
        std::lock_guard<std::mutex> lock(readMutex_);
        reads_.push_back(PendingRead{copied, pinned, nbytes, nullptr});  // no callback: release the buffer only
      }
      readWake_.notify_one();
      return Status::ok();
    }
  }
  TN_CUDA_RETURN(cudaMemcpyAsync(out->data(), src, nbytes, cudaMemcpyHostToDevice, stream_), "fromHost");
  return Status::ok();
}

Status CudaBackend::enqueue(KernelFn fn, std::unique_ptr<KernelContext> ctx) {
  std::lock_guard<std::mutex> lock(launchMutex_);
  TN_RETURN_IF_ERROR(activate(ctx->op.c_str()));
  // Clear a stale non-sticky error left by an earlier runtime call (one whose Status was already reported, or a call
  // by another library), so that launchStatus below blames this op only for what this op did.
  cudaGetLastError();
  ctx->backend = this;
  // Runs on the calling thread: the kernel validates, then launches asynchronously on the stream. A validation
  // error therefore surfaces at the call. The context (and its storages) can go right away: frees are stream-ordered.
  Status s = fn(*ctx);
  if (s.isOk()) s = launchStatus(ctx->op.c_str());
  return s;
}

Status CudaBackend::releaseCachedMemory(const char* op) {
  TN_RETURN_IF_ERROR(activate(op));
  TN_CUDA_RETURN(cudaStreamSynchronize(stream_), op);
  TN_CUDA_RETURN(cudaMemPoolTrimTo(pool_, 0), op);
  return Status::ok();
}

Status CudaBackend::takeReport() {
  // 1 = complete report; -1 = a kernel queued later is still writing one (reported at the next sync). Claiming it
  // (1 -> 2) keeps the reader thread and a JS-thread sync from both taking the same report.
  int expected = 1;
  if (!reportHost_ || !__atomic_compare_exchange_n(&reportHost_->set, &expected, 2, false, __ATOMIC_ACQ_REL,
                                                   __ATOMIC_ACQUIRE))
    return Status::ok();
  DeviceReport r = *reportHost_;
  __atomic_store_n(&reportHost_->set, 0, __ATOMIC_RELEASE);
  if (r.code == kCheckOneHotIndex)
    return makeError(ErrorKind::Value, "oneHot: index ", r.value, " at position ", r.position, " is outside [0, ",
                     r.limit, ")");
  if (r.code == kCheckLabelIndex)
    return makeError(ErrorKind::Value, "softmax_cross_entropy: label ", r.value, " at row ", r.position,
                     " is outside [0, ", r.limit, ")");
  if (r.code == kCheckGatherIndex)
    return makeError(ErrorKind::Value, "gather/scatter: index ", r.value, " at position ", r.position, " is outside [0, ",
                     r.limit, ")");
  return makeError(ErrorKind::Internal, "cuda:", index_, ": unknown device report code ", r.code);
}

Status CudaBackend::synchronize() {
  TN_RETURN_IF_ERROR(activate("sync"));
  TN_CUDA_RETURN(cudaStreamSynchronize(stream_), "sync");
  return takeReport();
}

Status CudaBackend::toHostSync(const StoragePtr& src, size_t offset, size_t nbytes, void* dst) {
  TN_RETURN_IF_ERROR(activate("readSync"));
  if (nbytes)
    TN_CUDA_RETURN(cudaMemcpyAsync(dst, static_cast<const uint8_t*>(src->data()) + offset, nbytes,
                                   cudaMemcpyDeviceToHost, stream_), "readSync");
  TN_CUDA_RETURN(cudaStreamSynchronize(stream_), "readSync");
  return takeReport();
}

void* CudaBackend::acquirePinned(size_t nbytes, size_t& capacity) {
  capacity = kPinnedMinBytes;
  while (capacity < nbytes) capacity *= 2;
  {
    std::lock_guard<std::mutex> lock(pinnedMutex_);
    for (size_t i = 0; i < pinnedFree_.size(); ++i) {
      if (pinnedFree_[i].first != capacity) continue;
      void* p = pinnedFree_[i].second;
      pinnedFree_.erase(pinnedFree_.begin() + i);
      pinnedCached_ -= capacity;
      return p;
    }
  }
  void* p = nullptr;
  if (cudaHostAlloc(&p, capacity, cudaHostAllocPortable) != cudaSuccess) {
    cudaGetLastError();
    return nullptr;
  }
  return p;
}

void CudaBackend::releasePinned(void* p, size_t capacity) {
  {
    std::lock_guard<std::mutex> lock(pinnedMutex_);
    if (pinnedCached_ + capacity <= kPinnedCacheBytes) {
      pinnedFree_.push_back({capacity, p});
      pinnedCached_ += capacity;
      return;
    }
  }
  cudaFreeHost(p);  // only ever on the reader thread, which may block
}

void CudaBackend::readAsync(StoragePtr src, size_t offset, size_t nbytes, HostReadDone done) {
  // Never blocks the JS thread: queue a copy into pinned memory and an event, the reader thread waits for it.
  PendingRead r{nullptr, nullptr, nbytes, std::move(done)};
  Status s = activate("read");
  size_t capacity = 0;
  if (s.isOk() && nbytes) {
    r.pinned = acquirePinned(nbytes, capacity);
    if (!r.pinned) s = makeError(ErrorKind::OutOfMemory, "read: cannot allocate ", nbytes, " bytes of pinned host memory");
  }
  if (s.isOk() && nbytes) {
    cudaError_t err = cudaMemcpyAsync(r.pinned, static_cast<const uint8_t*>(src->data()) + offset, nbytes,
                                      cudaMemcpyDeviceToHost, stream_);
    if (err != cudaSuccess) s = cudaError(err, "read", "cudaMemcpyAsync");
  }
  if (s.isOk()) {
    cudaError_t err = createWaitEvent(&r.event);
    if (err == cudaSuccess) err = cudaEventRecord(r.event, stream_);
    if (err != cudaSuccess) s = cudaError(err, "read", "cudaEventRecord");
  }
  if (!s.isOk()) {
    if (r.event) cudaEventDestroy(r.event);
    r.event = nullptr;
    if (r.pinned) releasePinned(r.pinned, capacity);
    r.pinned = nullptr;
    // Report from the reader thread too, so `done` never runs on the caller's stack.
    auto failed = std::make_shared<Status>(s);
    HostReadDone original = std::move(r.done);
    r.done = [failed, original](Status, std::shared_ptr<std::vector<uint8_t>> bytes) { original(*failed, bytes); };
  }
  {
    std::lock_guard<std::mutex> lock(readMutex_);
    reads_.push_back(std::move(r));
  }
  readWake_.notify_one();
}

void CudaBackend::readerLoop() {
  cudaSetDevice(index_);
  for (;;) {
    PendingRead r;
    {
      std::unique_lock<std::mutex> lock(readMutex_);
      readWake_.wait(lock, [this] { return !reads_.empty() || stopping_; });
      if (reads_.empty()) return;  // stopping, and every queued read has been answered
      r = std::move(reads_.front());
      reads_.pop_front();
    }
    auto bytes = std::make_shared<std::vector<uint8_t>>();
    Status s;
    if (r.event && !r.done) {  // a staged upload finished: nothing to report, the buffer goes back below
      cudaEventSynchronize(r.event);
      cudaEventDestroy(r.event);
      cudaGetLastError();
    } else if (r.event) {
      cudaError_t err = cudaEventSynchronize(r.event);
      cudaEventDestroy(r.event);
      if (err != cudaSuccess) s = cudaError(err, "read", "cudaEventSynchronize");
      else s = takeReport();
      if (s.isOk()) {
        bytes->resize(r.nbytes);
        if (r.nbytes) std::memcpy(bytes->data(), r.pinned, r.nbytes);
      }
    }
    if (r.pinned) {
      size_t capacity = kPinnedMinBytes;
      while (capacity < r.nbytes) capacity *= 2;
      releasePinned(r.pinned, capacity);
    }
    if (r.done) r.done(s, bytes);  // staged uploads have no callback: only their buffer to release
  }
}

void CudaBackend::shutdown() {
  {
    std::lock_guard<std::mutex> lock(readMutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  readWake_.notify_all();
  // The reader answers what is queued (completions to dead environments are dropped by their port) and returns.
  if (reader_.joinable() && reader_.get_id() != std::this_thread::get_id()) reader_.join();
  // Kernels still queued finish before the runtime unloads. At process exit the runtime may already be unloading:
  // these calls then fail, and that is ignored.
  if (cudaSetDevice(index_) == cudaSuccess) cudaStreamSynchronize(stream_);
  cudaGetLastError();
}

}  // namespace cuda
}  // namespace tn
