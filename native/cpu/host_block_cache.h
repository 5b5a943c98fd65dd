// A bounded cache of large freed host blocks, reused by exact size, so hot loops skip mmap and page faults.
#pragma once
#include <cstddef>

namespace tn {

// Returns a 64-byte aligned block of `bytes` (a multiple of 64), from the cache when one of that size is free.
// Null when the system is out of memory.
void* acquireHostBlock(size_t bytes);
// Gives a block from acquireHostBlock back: cached while the cache holds less than its bound, else freed.
void releaseHostBlock(void* block, size_t bytes);
// Bytes currently held by the cache (not in use by any tensor).
size_t cachedHostBytes();

}  // namespace tn
