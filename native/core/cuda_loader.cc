// Loads the CUDA module (tensornode_cuda.so beside the addon) on first use and keeps the exact reason when it cannot:
// the core addon never links cudart, cuBLAS or cuDNN, so one build loads on machines with and without CUDA.
#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <sys/stat.h>

#include "cuda_module.h"

namespace tn {

namespace {

struct LoadedModule {
  std::string path;      // where the module was looked for
  bool present = false;  // the file exists
  bool loaded = false;   // dlopen and init succeeded: hooks are valid
  std::string error;     // why not, when !loaded
  CudaHooks hooks;
};

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  return out + "\"";
}

// The directory of the shared object holding this function (the addon, wherever it was loaded from).
std::string addonDir() {
  Dl_info info;
  if (!dladdr(reinterpret_cast<void*>(&addonDir), &info) || !info.dli_fname) return ".";
  std::string file = info.dli_fname;
  size_t slash = file.rfind('/');
  return slash == std::string::npos ? "." : file.substr(0, slash);
}

void load(LoadedModule& m) {
  const char* override = std::getenv("TENSORNODE_CUDA_MODULE");
  m.path = override && *override ? override : addonDir() + "/" + kCudaModuleFile;
  struct stat st;
  m.present = ::stat(m.path.c_str(), &st) == 0;
  if (!m.present) {
    m.error = "not compiled: this build has no CUDA module (" + m.path +
              " does not exist; build with TENSORNODE_CUDA=1 where nvcc, cuBLAS and cuDNN are installed)";
    return;
  }
  // RTLD_LOCAL: the module's own copies of core helpers stay private to it. Never dlclose'd: kernels, storages'
  // release functions and backend threads live in it until the process exits.
  void* handle = dlopen(m.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* err = dlerror();
    m.error = "the CUDA module " + m.path + " cannot be loaded: " + (err ? err : "unknown dlopen error") +
              " (are the CUDA runtime, cuBLAS and cuDNN it was built against installed and on its RPATH or "
              "LD_LIBRARY_PATH?)";
    return;
  }
  auto init = reinterpret_cast<CudaModuleInitFn>(dlsym(handle, kCudaModuleInitSymbol));
  if (!init) {
    m.error = "the CUDA module " + m.path + " has no " + kCudaModuleInitSymbol + " entry point";
    return;
  }
  uint64_t theirs = init(kCudaModuleAbi, &m.hooks, &registerKernel);
  if (theirs != 0) {
    m.error = "the CUDA module " + m.path + " was built from other sources than this addon (interface stamp " +
              std::to_string(theirs) + ", expected " + std::to_string(kCudaModuleAbi) + "); rebuild both together";
    m.hooks = CudaHooks();
    return;
  }
  m.loaded = true;
}

LoadedModule& module() {
  static LoadedModule* m = new LoadedModule();  // never destroyed: hooks are used until process exit
  static std::once_flag once;
  std::call_once(once, [] { load(*m); });
  return *m;
}

}  // namespace

const CudaHooks* cudaHooks() {
  LoadedModule& m = module();
  return m.loaded ? &m.hooks : nullptr;
}

std::string cudaInfoJson() {
  LoadedModule& m = module();
  const std::string where = "\"module\":" + jsonString(m.path) + ",\"loaded\":" + (m.loaded ? "true" : "false");
  if (m.loaded && m.hooks.infoJson) {
    std::string inner = m.hooks.infoJson();  // an object: splice the module fields in after its '{'
    if (!inner.empty() && inner[0] == '{') return "{" + where + (inner.size() > 2 ? "," : "") + inner.substr(1);
  }
  return "{\"compiled\":" + std::string(m.present ? "true" : "false") + ",\"usable\":false," + where +
         ",\"reason\":" + jsonString(m.error) + "}";
}

}  // namespace tn
