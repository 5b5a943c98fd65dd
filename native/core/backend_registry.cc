// Finds (and lazily creates) the backend for a device; the CPU backend is always there, CUDA through hooks.
#include <map>
#include <mutex>

#include "backend.h"
#include "../cpu/cpu_backend.h"

namespace tn {

namespace {
std::mutex gMutex;
std::map<int, Backend*>& cudaBackends() {
  static auto* m = new std::map<int, Backend*>();  // never destroyed: backends live until the process exits
  return *m;
}
}  // namespace

Status getBackend(const Device& device, Backend*& out) {
  if (device.type == DeviceType::CPU) {
    TN_CHECK(device.index == 0, Device, "device 'cpu:", device.index, "' does not exist; use 'cpu'");
    out = cpuBackend();
    return Status::ok();
  }
  const CudaHooks* hooks = cudaHooks();
  TN_CHECK(hooks && hooks->createBackend, Device, "device '", device.str(),
           "' is unusable: the CUDA backend is not available (backendInfo().cuda.reason says why)");
  std::lock_guard<std::mutex> lock(gMutex);
  auto it = cudaBackends().find(device.index);
  if (it != cudaBackends().end()) {
    out = it->second;
    return Status::ok();
  }
  Backend* created = nullptr;
  TN_RETURN_IF_ERROR(hooks->createBackend(device.index, created));
  cudaBackends()[device.index] = created;
  out = created;
  return Status::ok();
}

std::vector<Backend*> liveBackends() {
  std::vector<Backend*> out{cpuBackend()};
  std::lock_guard<std::mutex> lock(gMutex);
  for (auto& [index, backend] : cudaBackends()) out.push_back(backend);
  return out;
}

void shutdownBackends() {
  for (Backend* b : liveBackends()) b->shutdown();
}

Status copyToDevice(const StoragePtr& src, size_t nbytes, const Device& to, StoragePtr& out) {
  Backend* from = nullptr;
  Backend* dst = nullptr;
  TN_RETURN_IF_ERROR(getBackend(src->device(), from));
  TN_RETURN_IF_ERROR(getBackend(to, dst));
  if (src->device().type == DeviceType::CPU && to.type == DeviceType::CPU) {
    // Same device: a queued copy keeps stream order without blocking.
    TN_RETURN_IF_ERROR(dst->allocate(nbytes, out));
    auto ctx = std::make_unique<KernelContext>();
    ctx->op = "copy";
    ctx->inputs.push_back(TensorArg{src, DType::Int32, {static_cast<int64_t>(nbytes / 4)}});
    ctx->outputs.push_back(TensorArg{out, DType::Int32, {static_cast<int64_t>(nbytes / 4)}});
    KernelFn fn = findKernel(DeviceType::CPU, "copy");
    TN_CHECK(fn, Internal, "copy kernel missing");
    return dst->enqueue(fn, std::move(ctx));
  }
  const CudaHooks* hooks = cudaHooks();
  TN_CHECK(hooks && hooks->copy, Device, "cannot copy to '", to.str(), "': no CUDA backend");
  return hooks->copy(src, nbytes, from, dst, out);
}

}  // namespace tn
