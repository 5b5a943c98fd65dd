// Op ids: a process-wide table of interned kernel names and each environment's cache of resolved kernels.
#include "op_table.h"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace tn {

namespace {

struct Interned {
  std::mutex mutex;
  std::deque<std::string> names;  // a deque: references to its strings stay valid as it grows
  std::unordered_map<std::string, uint32_t> ids;
};

Interned& interned() {
  static auto* table = new Interned();  // never destroyed: worker environments may outlive static destructors
  return *table;
}

}  // namespace

uint32_t internOp(const std::string& name) {
  Interned& t = interned();
  std::lock_guard<std::mutex> lock(t.mutex);
  auto it = t.ids.find(name);
  if (it != t.ids.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(t.names.size());
  t.names.push_back(name);
  t.ids.emplace(name, id);
  return id;
}

const std::string* opName(uint32_t id) {
  Interned& t = interned();
  std::lock_guard<std::mutex> lock(t.mutex);
  return id < t.names.size() ? &t.names[id] : nullptr;
}

KernelCache::Entry KernelCache::lookup(DeviceType type, uint32_t id) {
  std::vector<Entry>& cache = byType_[type == DeviceType::CPU ? 0 : 1];
  if (id < cache.size() && cache[id].fn) return cache[id];
  Entry e;
  e.name = opName(id);
  if (!e.name) return e;
  e.fn = findKernel(type, *e.name);
  if (e.fn) {
    if (cache.size() <= id) cache.resize(id + 1);
    cache[id] = e;
  }
  return e;
}

}  // namespace tn
