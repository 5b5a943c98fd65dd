// StorageTable: numeric storage handles with generations, external-memory accounting and clear errors.
#include "storage_table.h"

#include <cmath>

#include "errors.h"

namespace tn {

namespace {

constexpr uint32_t kSlotBits = 24;
constexpr double kSlotSpan = static_cast<double>(1u << kSlotBits);
constexpr uint32_t kMaxGeneration = 1u << 28;  // handles stay below 2^52, exact as doubles

// Drops one reference; bytes only queued work still holds are counted (memory().numBytesInQueue) until freed.
void releaseStorage(StoragePtr& storage) {
  if (storage.use_count() > 1) storage->markHeldByQueueOnly();
  storage.reset();
}

}  // namespace

StorageTable::~StorageTable() {
  for (Slot& s : slots_)
    if (s.storage) releaseStorage(s.storage);
}

double StorageTable::add(Napi::Env env, StoragePtr storage) {
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    if (slots_.size() >= (1u << kSlotBits))
      throw toJsError(env, makeError(ErrorKind::OutOfMemory, "more than ", 1u << kSlotBits,
                                     " tensor storages are alive; dispose tensors (tidy, dispose)"));
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  slot.generation = slot.generation % kMaxGeneration + 1;
  adjustExternal(env, static_cast<int64_t>(storage->nbytes()));
  slot.storage = std::move(storage);
  return static_cast<double>(slot.generation) * kSlotSpan + index;
}

void StorageTable::adjustExternal(Napi::Env env, int64_t delta) {
  constexpr int64_t kExternalStep = 1 << 20;
  unreportedBytes_ += delta;
  if (unreportedBytes_ >= kExternalStep || unreportedBytes_ <= -kExternalStep) {
    Napi::MemoryManagement::AdjustExternalMemory(env, unreportedBytes_);
    unreportedBytes_ = 0;
  }
}

double StorageTable::handleOf(const Napi::Value& value) {
  return value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : std::nan("");
}

// A handle's slot index and generation; false when the value cannot be a handle of any table.
static bool decodeHandle(double h, double& index, double& generation) {
  if (!(h >= kSlotSpan) || h != std::floor(h)) return false;
  generation = std::floor(h / kSlotSpan);
  index = h - generation * kSlotSpan;
  return true;
}

StorageTable::Slot* StorageTable::slotOf(double handle) const {
  double index, generation;
  if (!decodeHandle(handle, index, generation) || index >= static_cast<double>(slots_.size())) return nullptr;
  Slot& slot = slots_[static_cast<size_t>(index)];
  return slot.generation == generation ? &slot : nullptr;
}

const StoragePtr* StorageTable::find(double handle) const {
  Slot* slot = slotOf(handle);
  return slot && slot->storage ? &slot->storage : nullptr;
}

const StoragePtr& StorageTable::get(Napi::Env env, double handle, const char* what) const {
  if (const StoragePtr* s = find(handle)) return *s;
  // A handle this table gave out once (its slot has moved on, or was emptied) was disposed; anything else never was one.
  double index, generation;
  bool issued = decodeHandle(handle, index, generation) && index < static_cast<double>(slots_.size()) &&
                generation <= slots_[static_cast<size_t>(index)].generation;
  if (!issued) throw toJsError(env, makeError(ErrorKind::Value, what, ": expected a tensor storage handle"));
  throw toJsError(env, makeError(ErrorKind::Disposed, what, ": tensor was disposed"));
}

void StorageTable::release(Napi::Env env, double handle) {
  Slot* slot = slotOf(handle);
  if (!slot || !slot->storage) return;
  adjustExternal(env, -static_cast<int64_t>(slot->storage->nbytes()));
  releaseStorage(slot->storage);
  free_.push_back(static_cast<uint32_t>(slot - slots_.data()));
}

}  // namespace tn
