// StorageTable: the storages one JS environment holds, named by numeric handles (no JS object or finalizer each).
#pragma once
#include <napi.h>

#include <cstdint>
#include <vector>

#include "../core/storage.h"

namespace tn {

// A handle is slot + generation * 2^24, a plain JS number: making and reading one costs no N-API object, wrap or
// finalizer (those were most of an op's dispatch cost). The generation makes a disposed handle, or one whose slot
// was reused, fail as "disposed" instead of reaching another tensor's memory. The JS layer disposes every handle
// (dispose(), tidy, its FinalizationRegistry backstop); the table releases what is left when its environment ends.
class StorageTable {
 public:
  StorageTable() = default;
  StorageTable(const StorageTable&) = delete;
  StorageTable& operator=(const StorageTable&) = delete;
  ~StorageTable();

  // Registers a storage and reports its bytes to V8 as external memory; throws when 2^24 handles are live.
  double add(Napi::Env env, StoragePtr storage);
  // The storage behind a handle, or throws a ValueError (not a handle) / DisposedError naming `what`. Handles are
  // read as doubles: handleOf() turns a JS value into one (NaN for a non-number, which is never a handle).
  const StoragePtr& get(Napi::Env env, double handle, const char* what) const;
  const StoragePtr& get(Napi::Env env, const Napi::Value& handle, const char* what) const {
    return get(env, handleOf(handle), what);
  }
  // The storage behind a handle, or null when the value is not a live handle (no JS error).
  const StoragePtr* find(double handle) const;
  // Drops the table's reference (queued kernels keep theirs); unknown or already released handles are ignored.
  void release(Napi::Env env, double handle);
  void release(Napi::Env env, const Napi::Value& handle) { release(env, handleOf(handle)); }

  static double handleOf(const Napi::Value& value);

 private:
  struct Slot {
    StoragePtr storage;
    uint32_t generation = 0;
  };
  Slot* slotOf(double handle) const;
  // V8 hears of external memory in steps of at least kExternalStep bytes: one call per tensor cost as much as the
  // rest of a small op's bookkeeping, and V8 only uses the figure to pace garbage collection.
  void adjustExternal(Napi::Env env, int64_t delta);

  mutable std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  int64_t unreportedBytes_ = 0;
};

}  // namespace tn
