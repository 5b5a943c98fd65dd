// The CPU engine switch, oneDNN's engine/stream and thread setup; without oneDNN, the switch stays on the fallback.
#include "engine.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "../thread_pool.h"

#ifdef TENSORNODE_HAVE_DNNL
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

#include "dnnl_common.h"
#endif

namespace tn {
namespace onednn {

namespace {
// The engine in force; read by every conv/pool kernel on the stream thread, written by setEngine from JS.
std::atomic<bool> gUseOnednn{[] {
  const char* env = std::getenv("TENSORNODE_CPU_ENGINE");
  return compiled() && !(env && std::strcmp(env, "fallback") == 0);
}()};
std::atomic<int64_t> gRun{0}, gDeclined{0};
}  // namespace

int64_t kernelsRun() { return gRun.load(); }
int64_t kernelsDeclined() { return gDeclined.load(); }
void countKernel(bool ran) { (ran ? gRun : gDeclined).fetch_add(1, std::memory_order_relaxed); }

#ifdef TENSORNODE_HAVE_DNNL

bool compiled() { return true; }

dnnl::engine& cpuEngine() {
  static dnnl::engine* e = new dnnl::engine(dnnl::engine::kind::cpu, 0);  // never destroyed: used until exit
  return *e;
}

dnnl::stream& cpuStream() {
  static dnnl::stream* s = new dnnl::stream(cpuEngine());
  return *s;
}

dnnl::stream& threadStream() {
  thread_local std::unique_ptr<dnnl::stream> s;  // freed when a pool thread exits (setNumThreads); the engine lives on
  if (!s) s = std::make_unique<dnnl::stream>(cpuEngine());
  return *s;
}

namespace {
using SetThreadsFn = void (*)(int);

// omp_set_num_threads of the OpenMP runtime oneDNN links (already loaded with it); null for a non-OpenMP oneDNN.
SetThreadsFn ompSetNumThreads() {
  static SetThreadsFn fn = [] {
    for (const char* lib : {"libgomp.so.1", "libiomp5.so", "libomp.so.5", "libomp.so"}) {
      if (void* h = dlopen(lib, RTLD_NOW | RTLD_NOLOAD))
        if (void* sym = dlsym(h, "omp_set_num_threads")) return reinterpret_cast<SetThreadsFn>(sym);
    }
    return static_cast<SetThreadsFn>(nullptr);
  }();
  return fn;
}
}  // namespace

namespace {
double steadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Threads runnable on the machine right now, less the calling one: the "running/total" field of /proc/loadavg
// (running or waiting for a core; sleeping and blocked threads not counted). -1 where that file is missing.
double otherRunnableThreads() {
  FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return -1;
  double avg1, avg5, avg15;
  int running = 0, total = 0;
  int read = std::fscanf(f, "%lf %lf %lf %d/%d", &avg1, &avg5, &avg15, &running, &total);
  std::fclose(f);
  return read == 5 ? std::max(0, running - 1) : -1;
}
}  // namespace

// True while other threads alone keep every core busy: the runnable threads besides the caller, sampled at most 10
// times a second and averaged over about 5 s, at or above the core count (where /proc/loadavg is missing: the
// 1-minute load average). oneDNN's OpenMP loops give each thread a fixed share and wait for all of them at the end,
// so when every core is contended a team of two waits a scheduler slice for the thread that is not running
// (measured: a 2x2 max pool took 80-170 ms with two threads at load 26 on 2 cores, 2.6 ms with one). Our own pool
// does not suffer this: its caller takes every chunk no worker has claimed yet.
// Not the load average itself: it counts our own team (a 2-thread training loop alone drives a 2-core machine's
// load towards 2), processes that ended up to a minute ago, and threads blocked on I/O. With it, any other small
// load halved our convolutions (the recorded bench at load 2.1-2.7: conv forward+backward 84 GFLOP/s on one
// thread, PyTorch 160 on two).
bool machineOversubscribed() {
  static std::mutex mutex;
  static double sampledAt = -1, average = 0;
  static std::atomic<bool> over{false};
  std::unique_lock<std::mutex> lock(mutex, std::try_to_lock);
  if (!lock.owns_lock()) return over;  // another stream thread is sampling
  double now = steadySeconds();
  if (now - sampledAt < 0.1) return over;
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  double others = otherRunnableThreads();
  if (others < 0) {
    double load[1] = {0};
    over = getloadavg(load, 1) == 1 && cores > 0 && load[0] >= cores;
  } else {
    double keep = sampledAt < 0 ? 0 : std::exp(-(now - sampledAt) / 5.0);
    average = average * keep + others * (1 - keep);
    over = cores > 0 && average >= cores;
  }
  sampledAt = now;
  return over;
}

void useThreads(int want) {
  thread_local int applied = 0;  // the OpenMP thread-count setting is per calling thread
  if (want != applied) {
    if (SetThreadsFn fn = ompSetNumThreads()) fn(want);
    applied = want;
  }
}

int prepareThreads(int64_t work) {
  int want = work < kParallelWork || machineOversubscribed() ? 1 : cpuThreadCount();
  useThreads(want);
  return want;
}

std::string version() {
  const dnnl_version_t* v = dnnl_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
}

std::string isa() {
  switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_sse41: return "sse41";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

const char* threadingRuntime() {
#if DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP
  return "omp";
#elif DNNL_CPU_RUNTIME == DNNL_RUNTIME_SEQ
  return "sequential";
#else
  return "other";
#endif
}

#else  // no oneDNN in this build: the switch stays on the fallback and the entries are never reached

bool compiled() { return false; }
std::string version() { return ""; }
std::string isa() { return ""; }
const char* threadingRuntime() { return "none"; }

namespace {
Status notCompiled(bool& handled) {
  handled = false;
  return Status::ok();
}
}  // namespace

Status conv2dForward(const WindowGeometry&, int64_t, const float*, const float*, float*, bool& handled) {
  return notCompiled(handled);
}
Status conv2dBackwardData(const WindowGeometry&, int64_t, const float*, const float*, float*, bool& handled) {
  return notCompiled(handled);
}
Status conv2dBackwardWeights(const WindowGeometry&, int64_t, const float*, const float*, float*, bool& handled) {
  return notCompiled(handled);
}
Status poolForward(bool, const WindowGeometry&, const float*, float*, bool& handled) { return notCompiled(handled); }
Status poolBackward(bool, const WindowGeometry&, const float*, const float*, float*, bool& handled) {
  return notCompiled(handled);
}

#endif

bool active() { return gUseOnednn.load(std::memory_order_relaxed); }

const char* engineName() { return active() ? "onednn" : "fallback"; }

Status setEngine(const std::string& name) {
  if (name == "fallback") {
    gUseOnednn = false;
    return Status::ok();
  }
  TN_CHECK(name == "onednn", Value, "setCpuEngine: expected 'onednn' or 'fallback', got '", name, "'");
  TN_CHECK(compiled(), Value,
           "setCpuEngine: this build has no oneDNN (install libdnnl-dev, e.g. apt-get install libdnnl-dev, and rebuild)");
  gUseOnednn = true;
  return Status::ok();
}

}  // namespace onednn
}  // namespace tn
