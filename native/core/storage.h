// Storage: one device allocation, shared (reference counted) by tensors and by queued kernels, with its poison state.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "device.h"
#include "status.h"

namespace tn {

// Bytes per device that only queued work still holds (their tensors were disposed): memory() reports them.
inline std::atomic<int64_t>& queueOnlyBytes(const Device& d) {
  static std::atomic<int64_t> counters[2][64] = {};
  return counters[d.type == DeviceType::CPU ? 0 : 1][d.index & 63];
}

class Storage {
 public:
  Storage(Device device, void* data, size_t nbytes, std::function<void(void*)> release)
      : device_(device), data_(data), nbytes_(nbytes), release_(std::move(release)) {}
  ~Storage() {
    if (heldByQueueOnly_.load(std::memory_order_acquire))
      queueOnlyBytes(device_).fetch_sub(static_cast<int64_t>(nbytes_), std::memory_order_relaxed);
    delete poison_.load(std::memory_order_acquire);
    if (release_ && data_) release_(data_);
  }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  Device device() const { return device_; }
  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }

  // The error of the kernel that should have written this storage (or of one its inputs came from), or null.
  // A poisoned storage is never read back: reads reject with this error instead of returning stale memory.
  const Status* poisoned() const { return poison_.load(std::memory_order_acquire); }
  // Marks the storage as poisoned by `s` (the first error wins; later ones are dropped).
  void poison(const Status& s) {
    if (s.isOk() || poisoned()) return;
    auto* fresh = new Status(s);
    const Status* expected = nullptr;
    if (!poison_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) delete fresh;
  }

  // Called when the last JS handle lets go while queued work still holds the storage: counted until it is freed.
  void markHeldByQueueOnly() {
    if (!heldByQueueOnly_.exchange(true, std::memory_order_acq_rel))
      queueOnlyBytes(device_).fetch_add(static_cast<int64_t>(nbytes_), std::memory_order_relaxed);
  }

 private:
  Device device_;
  void* data_;
  size_t nbytes_;
  std::function<void(void*)> release_;
  std::atomic<const Status*> poison_{nullptr};
  std::atomic<bool> heldByQueueOnly_{false};
};

using StoragePtr = std::shared_ptr<Storage>;

}  // namespace tn
