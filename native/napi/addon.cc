// The addon's init: registers the entry points and holds per-environment data (storage handles, completions).
#include <napi.h>

#include <cstdlib>
#include <string>

#include "../core/backend.h"
#include "../cpu/blas.h"
#include "../cpu/host_block_cache.h"
#include "../cpu/onednn/engine.h"
#include "../cpu/thread_pool.h"
#include "addon_data.h"
#include "convert.h"
#include "errors.h"
#include "entry_points.h"

namespace tn {

AddonData& addonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// How the libraries share our pool, e.g. "one pool of 2: OpenBLAS single-threaded per pool slice, oneDNN omp x2
// (OMP_WAIT_POLICY=PASSIVE)".
std::string threadingMode() {
  std::string mode = "one pool of " + std::to_string(cpuThreadCount()) + ": ";
  const std::string gemm = blasName();
  mode += gemm == "openblas" ? "OpenBLAS single-threaded per pool slice"
          : gemm == "onednn" ? "oneDNN sgemm"
                             : "built-in GEMM per pool slice";
  if (onednn::compiled()) {
    const char* wait = std::getenv("OMP_WAIT_POLICY");
    mode += std::string(", oneDNN ") + onednn::threadingRuntime() +
            " sized to the pool, 1 thread for small kernels or while other runnable threads >= cores (OMP_WAIT_POLICY=" +
            (wait ? wait : "unset") + ")";
  }
  return mode;
}

Napi::Value backendInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  Napi::Object cpu = Napi::Object::New(env);
  cpu.Set("compiled", true);
  cpu.Set("usable", true);
  cpu.Set("blas", blasName());
  cpu.Set("blasCoreType", blasCoreType());
  cpu.Set("threads", cpuThreadCount());
  cpu.Set("cachedBytes", static_cast<double>(cachedHostBytes()));
  cpu.Set("engine", onednn::engineName());
  Napi::Object dnnl = Napi::Object::New(env);
  dnnl.Set("compiled", onednn::compiled());
  dnnl.Set("version", onednn::version());
  dnnl.Set("isa", onednn::isa());
  dnnl.Set("runtime", onednn::threadingRuntime());
  dnnl.Set("kernelsRun", static_cast<double>(onednn::kernelsRun()));
  dnnl.Set("kernelsDeclined", static_cast<double>(onednn::kernelsDeclined()));
  cpu.Set("onednn", dnnl);
  cpu.Set("threading", threadingMode());
  out.Set("cpu", cpu);
  // Always a JSON object: the CUDA module's report, or why the module is absent or cannot be loaded.
  out.Set("cudaJson", Napi::String::New(env, cudaInfoJson()));
  return out;
}

Napi::Value setCpuEngine(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  throwIfError(env, info[0].IsString() ? onednn::setEngine(info[0].As<Napi::String>().Utf8Value())
                                       : makeError(ErrorKind::Value, "setCpuEngine: expected a string"));
  return env.Undefined();
}

Napi::Value setCpuGemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  throwIfError(env, info[0].IsString() ? setGemm(info[0].As<Napi::String>().Utf8Value())
                                       : makeError(ErrorKind::Value, "setCpuGemm: expected a string"));
  return env.Undefined();
}

Napi::Value setNumThreads(const Napi::CallbackInfo& info) {
  setCpuThreadCount(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value setTF32(const Napi::CallbackInfo& info) {
  const CudaHooks* hooks = cudaHooks();
  if (hooks && hooks->setTF32) hooks->setTF32(info[0].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

Napi::Value setCudnnBenchmark(const Napi::CallbackInfo& info) {
  const CudaHooks* hooks = cudaHooks();
  if (hooks && hooks->setBenchmark) hooks->setBenchmark(info[0].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

// emptyCache(device): returns a CUDA device's unused pool memory to the driver (no-op when not yet in use).
Napi::Value emptyCache(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Device device = parseDevice(env, info[0]);
  const CudaHooks* hooks = cudaHooks();
  if (device.type != DeviceType::CUDA || !hooks || !hooks->emptyCache) return env.Undefined();
  Backend* backend = nullptr;
  throwIfError(env, getBackend(device, backend));
  throwIfError(env, hooks->emptyCache(backend));
  return env.Undefined();
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  data->state = EnvState::create(env);
  env.SetInstanceData<AddonData>(data);
  exports.Set("run", Napi::Function::New(env, runOp, "run"));
  exports.Set("call", Napi::Function::New(env, runPackedCall, "call"));
  exports.Set("setCallBuffer", Napi::Function::New(env, setCallBuffer, "setCallBuffer"));
  exports.Set("opId", Napi::Function::New(env, opId, "opId"));
  exports.Set("deviceCode", Napi::Function::New(env, deviceCode, "deviceCode"));
  exports.Set("kernels", Napi::Function::New(env, listKernels, "kernels"));
  exports.Set("dispose", Napi::Function::New(env, disposeStorage, "dispose"));
  exports.Set("fromHost", Napi::Function::New(env, fromHost, "fromHost"));
  exports.Set("read", Napi::Function::New(env, readAsync, "read"));
  exports.Set("readSync", Napi::Function::New(env, readSync, "readSync"));
  exports.Set("sync", Napi::Function::New(env, synchronize, "sync"));
  exports.Set("queueStats", Napi::Function::New(env, queueStats, "queueStats"));
  exports.Set("whenReady", Napi::Function::New(env, whenReady, "whenReady"));
  exports.Set("copyTo", Napi::Function::New(env, copyStorageToDevice, "copyTo"));
  exports.Set("backendInfo", Napi::Function::New(env, backendInfo, "backendInfo"));
  exports.Set("setNumThreads", Napi::Function::New(env, setNumThreads, "setNumThreads"));
  exports.Set("setCpuEngine", Napi::Function::New(env, setCpuEngine, "setCpuEngine"));
  exports.Set("setCpuGemm", Napi::Function::New(env, setCpuGemm, "setCpuGemm"));
  exports.Set("setTF32", Napi::Function::New(env, setTF32, "setTF32"));
  exports.Set("setCudnnBenchmark", Napi::Function::New(env, setCudnnBenchmark, "setCudnnBenchmark"));
  exports.Set("emptyCache", Napi::Function::New(env, emptyCache, "emptyCache"));
  return exports;
}

}  // namespace tn

static Napi::Object initTensornode(Napi::Env env, Napi::Object exports) { return tn::init(env, exports); }
NODE_API_MODULE(tensornode, initTensornode)
