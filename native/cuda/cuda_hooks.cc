// The CUDA module's entry point: registers the CUDA kernels with the core and hands it the hooks (backend creation with
// precise reasons, backendInfo JSON, cross-device copies, switches, emptyCache).
#include <atomic>
#include <cstring>
#include <sstream>

#include "../core/cuda_module.h"
#include "cuda_backend.h"

namespace tn {
namespace cuda {

namespace {

// Off by default so results match the CPU backend to float32 precision; setTF32(true) trades ~3 decimal digits of
// the GEMM/convolution inputs for tensor-core speed (cuBLAS math mode and cuDNN math type read this at each call).
std::atomic<bool> gTF32{false};
// Off by default: cuDNN heuristics pick conv algorithms; when on, cudnnFind* times the candidates once per shape.
std::atomic<bool> gBenchmark{false};

// Architectures this build has code for (CMAKE_CUDA_ARCHITECTURES "80;90": SASS plus PTX that newer GPUs JIT).
constexpr int kMinComputeMajor = 8;

Status deviceCountStatus(int& count) {
  count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaSuccess) return count > 0 ? Status::ok() : makeError(ErrorKind::Device, "no CUDA device is visible");
  cudaGetLastError();
  int driver = 0;
  cudaDriverGetVersion(&driver);
  cudaGetLastError();
  std::string hint = driver == 0 ? " (no NVIDIA driver is installed or libcuda.so.1 cannot be loaded)" : "";
  return makeError(ErrorKind::Device, "cudaGetDeviceCount failed: ", cudaGetErrorString(err), hint);
}

Status deviceUsable(int index) {
  cudaDeviceProp prop;
  cudaError_t err = cudaGetDeviceProperties(&prop, index);
  if (err != cudaSuccess) return cudaError(err, "cuda", "cudaGetDeviceProperties");
  TN_CHECK(prop.major >= kMinComputeMajor, Device, "cuda:", index, " (", prop.name, ") has compute capability ",
           prop.major, ".", prop.minor, "; this build of tensornode needs 8.0 or newer (built for sm_80 and sm_90)");
  return Status::ok();
}

Status createBackend(int index, Backend*& out) {
  int count = 0;
  Status s = deviceCountStatus(count);
  TN_CHECK(s.isOk(), Device, "device 'cuda:", index, "' is unusable: ", s.message());
  TN_CHECK(index >= 0 && index < count, Device, "device 'cuda:", index, "' does not exist (", count,
           " CUDA device", count == 1 ? "" : "s", " visible)");
  s = cudnnCheckRuntime();
  TN_CHECK(s.isOk(), Device, "device 'cuda:", index, "' is unusable: ", s.message());
  TN_RETURN_IF_ERROR(deviceUsable(index));
  auto* backend = new CudaBackend(index);
  s = backend->init();
  if (!s.isOk()) {
    delete backend;  // nothing was queued on it; its stream (if any) is reclaimed with the context
    return s;
  }
  out = backend;
  return Status::ok();
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  return out + "\"";
}

std::string infoJson() {
  std::ostringstream os;
  int runtime = 0, driver = 0;
  cudaRuntimeGetVersion(&runtime);
  cudaDriverGetVersion(&driver);
  cudaGetLastError();
  int count = 0;
  Status usable = deviceCountStatus(count);
  if (usable.isOk()) usable = cudnnCheckRuntime();
  std::ostringstream devices;
  bool anyDevice = false;
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop;
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) {
      cudaGetLastError();
      continue;
    }
    Status dev = deviceUsable(i);
    anyDevice = anyDevice || dev.isOk();
    devices << (i ? "," : "") << "{\"index\":" << i << ",\"name\":" << jsonString(prop.name)
            << ",\"totalMemory\":" << prop.totalGlobalMem << ",\"computeCapability\":\"" << prop.major << "."
            << prop.minor << "\",\"usable\":" << (dev.isOk() ? "true" : "false");
    if (!dev.isOk()) devices << ",\"reason\":" << jsonString(dev.message());
    devices << "}";
  }
  if (usable.isOk() && !anyDevice)
    usable = makeError(ErrorKind::Device, "no visible CUDA device has compute capability 8.0 or newer");
  os << "{\"compiled\":true,\"usable\":" << (usable.isOk() ? "true" : "false");
  if (!usable.isOk()) os << ",\"reason\":" << jsonString(usable.message());
  os << ",\"runtimeVersion\":" << runtime << ",\"driverVersion\":" << driver
     << ",\"cublasVersion\":" << cublasRuntimeVersion() << ",\"cudnnVersion\":" << cudnnRuntimeVersion()
     << ",\"tf32\":" << (gTF32.load() ? "true" : "false") << ",\"cudnnBenchmark\":"
     << (gBenchmark.load() ? "true" : "false") << ",\"devices\":[" << devices.str() << "]}";
  return os.str();
}

// CUDA -> CPU on the CPU stream: waits for the CUDA stream, then copies the snapshot (input 0) into the CPU
// storage (output 0). Runs on the CPU worker thread, so the JS thread never blocks.
Status copyToHostTask(KernelContext& ctx) {
  auto* from = static_cast<CudaBackend*>(ctx.backend);
  size_t nbytes = ctx.out(0).storage->nbytes();
  TN_RETURN_IF_ERROR(from->activate("to('cpu')"));
  TN_CUDA_RETURN(cudaMemcpyAsync(ctx.out(0).storage->data(), ctx.in(0).storage->data(), nbytes,
                                 cudaMemcpyDeviceToHost, from->stream()), "to('cpu')");
  TN_CUDA_RETURN(cudaStreamSynchronize(from->stream()), "to('cpu')");
  return Status::ok();
}

Status copyAcross(const StoragePtr& src, size_t nbytes, Backend* from, Backend* to, StoragePtr& out) {
  const char* op = "to";
  bool fromCuda = from->device().type == DeviceType::CUDA, toCuda = to->device().type == DeviceType::CUDA;
  if (!fromCuda && toCuda) {
    // The CPU side may still have kernels writing `src`: wait for them, then upload.
    TN_RETURN_IF_ERROR(from->synchronize());
    return to->fromHost(src->data(), nbytes, out);
  }
  if (fromCuda && !toCuda) {
    auto* cb = static_cast<CudaBackend*>(from);
    TN_RETURN_IF_ERROR(to->allocate(nbytes, out));
    if (nbytes == 0) return Status::ok();
    // Snapshot on the CUDA stream now, so later kernels (e.g. in-place optimizer updates) cannot change what is copied.
    StoragePtr snapshot;
    TN_RETURN_IF_ERROR(cb->allocate(nbytes, snapshot));
    TN_CUDA_RETURN(cudaMemcpyAsync(snapshot->data(), src->data(), nbytes, cudaMemcpyDeviceToDevice, cb->stream()), op);
    auto ctx = std::make_unique<KernelContext>();
    ctx->op = "to('cpu')";
    ctx->backend = cb;
    ctx->inputs.push_back(TensorArg{snapshot, DType::Int32, {static_cast<int64_t>(nbytes / 4)}});
    ctx->outputs.push_back(TensorArg{out, DType::Int32, {static_cast<int64_t>(nbytes / 4)}});
    return to->enqueue(copyToHostTask, std::move(ctx));
  }
  TN_CHECK(fromCuda && toCuda, Internal, "cuda copy hook called for a CPU -> CPU copy");
  auto* src_b = static_cast<CudaBackend*>(from);
  auto* dst_b = static_cast<CudaBackend*>(to);
  TN_RETURN_IF_ERROR(dst_b->allocate(nbytes, out));
  if (nbytes == 0) return Status::ok();
  if (src_b == dst_b) {
    TN_CUDA_RETURN(cudaMemcpyAsync(out->data(), src->data(), nbytes, cudaMemcpyDeviceToDevice, src_b->stream()), op);
    return Status::ok();
  }
  // Across devices: the source stream waits for the allocation on the destination stream, copies, and the destination
  // stream waits for the copy; both sides stay stream-ordered without blocking the host.
  cudaEvent_t allocated = nullptr, copied = nullptr;
  TN_RETURN_IF_ERROR(dst_b->activate(op));
  TN_CUDA_RETURN(cudaEventCreateWithFlags(&allocated, cudaEventDisableTiming), op);
  TN_CUDA_RETURN(cudaEventRecord(allocated, dst_b->stream()), op);
  TN_RETURN_IF_ERROR(src_b->activate(op));
  TN_CUDA_RETURN(cudaStreamWaitEvent(src_b->stream(), allocated, 0), op);
  cudaEventDestroy(allocated);  // destruction is deferred by the runtime until the event completes
  TN_CUDA_RETURN(cudaMemcpyPeerAsync(out->data(), dst_b->index(), src->data(), src_b->index(), nbytes, src_b->stream()),
                 op);
  TN_CUDA_RETURN(cudaEventCreateWithFlags(&copied, cudaEventDisableTiming), op);
  TN_CUDA_RETURN(cudaEventRecord(copied, src_b->stream()), op);
  TN_CUDA_RETURN(cudaStreamWaitEvent(dst_b->stream(), copied, 0), op);
  cudaEventDestroy(copied);
  return Status::ok();
}

void setTF32(bool enabled) { gTF32.store(enabled); }
void setBenchmark(bool enabled) { gBenchmark.store(enabled); }

Status emptyCache(Backend* backend) {
  return static_cast<CudaBackend*>(backend)->releaseCachedMemory("emptyCache");
}

}  // namespace

bool tf32Enabled() { return gTF32.load(std::memory_order_relaxed); }
bool cudnnBenchmarkEnabled() { return gBenchmark.load(std::memory_order_relaxed); }

}  // namespace cuda
}  // namespace tn

// The one symbol the module exports (everything else is hidden). The module's kernels registered themselves in its
// own copy of the kernel table at load; they are handed to the core's table here.
extern "C" __attribute__((visibility("default"))) uint64_t tn_cuda_module_init(uint64_t abi, tn::CudaHooks* hooks,
                                                                              tn::RegisterKernelFn registerKernel) {
  if (abi != tn::kCudaModuleAbi) return tn::kCudaModuleAbi;
  for (const std::string& name : tn::kernelNames(tn::DeviceType::CUDA))
    registerKernel(tn::DeviceType::CUDA, name.c_str(), tn::findKernel(tn::DeviceType::CUDA, name));
  hooks->createBackend = tn::cuda::createBackend;
  hooks->infoJson = tn::cuda::infoJson;
  hooks->copy = tn::cuda::copyAcross;
  hooks->setTF32 = tn::cuda::setTF32;
  hooks->setBenchmark = tn::cuda::setBenchmark;
  hooks->emptyCache = tn::cuda::emptyCache;
  return 0;
}
