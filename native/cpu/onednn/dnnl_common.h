// Internals shared by the oneDNN kernels (only built with TENSORNODE_HAVE_DNNL): the engine and stream, thread setup,
// a per-shape primitive cache and the exception-to-Status guard.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "../../core/status.h"
#include "engine.h"

namespace tn {
namespace onednn {

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();
// A stream of the calling thread's own, for kernels whose slices run concurrently on pool threads.
dnnl::stream& threadStream();
// Sizes oneDNN's OpenMP team on this thread for a kernel of `work` multiply-adds (or element visits): our pool's size
// (setNumThreads), or 1 for small kernels, where waking a second thread costs more than it saves, and while other
// threads oversubscribe the machine (runnable threads besides the caller >= cores), where a fixed-share team waits
// for descheduled threads. Returns that count; it is part of every cache key, since oneDNN fixes a primitive's thread
// split when it is created.
int prepareThreads(int64_t work);
// Sets the OpenMP team size oneDNN uses on the calling thread (1 on a pool thread running one slice of a kernel).
void useThreads(int n);
// Below this many multiply-adds (about 0.3 ms on one core) a kernel runs on one thread: waking a second (OpenMP's
// passive team, or a pool slice) costs tens of microseconds, more when the other core is busy, as much as a batch-1
// layer takes. At the old bound of 2^20 the MNIST CNN's batch-1 convolutions (0.3-2.2 M) were split, and a predict
// took p50 202-243 us against 176-177 (load 3.1-3.6); on a quiet machine the 2.2 M one took 196 us on two OpenMP
// threads against 54 on one. Training shapes (batch 64: 12-21 M and up) stay above it.
constexpr int64_t kParallelWork = int64_t(1) << 23;

using dims = dnnl::memory::dims;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

inline dnnl::memory::desc nhwc(int64_t n, int64_t c, int64_t h, int64_t w) {
  return dnnl::memory::desc({n, c, h, w}, dt::f32, tag::nhwc);
}

// Primitives and their scratch memory per shape key, built once by `make` (a shape seen again skips descriptor
// creation and JIT). Bounded: when full, it is cleared (training and serving use a handful of shapes).
template <typename Entry>
class PrimitiveCache {
 public:
  template <typename Make>
  Entry& get(const std::vector<int64_t>& key, const Make& make) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return *it->second;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    return *(entries_[key] = make());
  }

 private:
  static constexpr size_t kMaxEntries = 512;
  std::mutex mutex_;
  std::map<std::vector<int64_t>, std::unique_ptr<Entry>> entries_;
};

// Runs body() and turns a oneDNN error or an allocation failure into a Status naming the op (never throws).
template <typename Body>
Status guarded(const char* op, const Body& body) {
  try {
    return body();
  } catch (const dnnl::error& e) {
    return makeError(ErrorKind::Backend, op, ": oneDNN failed (status ", static_cast<int>(e.status), "): ", e.what());
  } catch (const std::bad_alloc&) {
    return makeError(ErrorKind::OutOfMemory, op, ": out of memory in oneDNN");
  } catch (const std::exception& e) {
    return makeError(ErrorKind::Backend, op, ": ", e.what());
  }
}

// True when oneDNN would run this primitive with its reference (unoptimised) code: the fallback is far faster then.
inline bool referenceOnly(const dnnl::primitive_desc& pd) {
  return std::strncmp(pd.impl_info_str(), "ref", 3) == 0;
}

// A oneDNN memory over one of our buffers (no copy).
inline dnnl::memory wrap(const dnnl::memory::desc& d, const void* p) {
  return dnnl::memory(d, cpuEngine(), const_cast<void*>(p));
}

// The common shape of every oneDNN kernel entry: find (or build) the cached entry, count it, and when it is usable
// run it on the stream and wait; `handled` tells the caller whether its fallback must run instead.
template <typename GetEntry, typename Run>
Status runCached(const char* op, bool& handled, const GetEntry& getEntry, const Run& run) {
  handled = false;
  return guarded(op, [&] {
    auto& e = getEntry();
    countKernel(e.usable);
    if (!e.usable) return Status::ok();
    run(e, cpuStream());
    cpuStream().wait();
    handled = true;
    return Status::ok();
  });
}

}  // namespace onednn
}  // namespace tn
