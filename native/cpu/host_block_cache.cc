// Host block cache: glibc serves blocks above its mmap threshold with fresh mappings, so every large tensor
// (a conv output, say) pays page faults on first touch. Training reallocates the same sizes every step; keeping
// a bounded number of freed blocks by exact size removes that cost. Small blocks go straight to malloc.
#include "host_block_cache.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

namespace tn {

namespace {

constexpr size_t kMinCachedBytes = 256 * 1024;  // below this malloc's own free lists do well

size_t cacheLimitBytes() {
  // TENSORNODE_CPU_CACHE_MB bounds what is kept (default 256 MiB; 0 turns the cache off).
  static const size_t limit = [] {
    const char* env = std::getenv("TENSORNODE_CPU_CACHE_MB");
    long mb = env ? std::strtol(env, nullptr, 10) : 256;
    return static_cast<size_t>(mb < 0 ? 0 : mb) * 1024 * 1024;
  }();
  return limit;
}

struct Cache {
  std::mutex mutex;
  std::map<size_t, std::vector<void*>> free;  // exact size -> blocks
  size_t held = 0;
};

Cache& cache() {
  static auto* c = new Cache();  // never destroyed: blocks may be released during process exit
  return *c;
}

}  // namespace

void* acquireHostBlock(size_t bytes) {
  if (bytes >= kMinCachedBytes) {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    auto it = c.free.find(bytes);
    if (it != c.free.end() && !it->second.empty()) {
      void* block = it->second.back();
      it->second.pop_back();
      c.held -= bytes;
      return block;
    }
  }
  return std::aligned_alloc(64, bytes);
}

void releaseHostBlock(void* block, size_t bytes) {
  if (bytes >= kMinCachedBytes) {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.held + bytes <= cacheLimitBytes()) {
      c.free[bytes].push_back(block);
      c.held += bytes;
      return;
    }
  }
  std::free(block);
}

size_t cachedHostBytes() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.held;
}

}  // namespace tn
