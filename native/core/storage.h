// Storage: one device allocation, shared (reference counted) by tensors and by queued kernels.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>

#include "device.h"

namespace tn {

class Storage {
 public:
  Storage(Device device, void* data, size_t nbytes, std::function<void(void*)> release)
      : device_(device), data_(data), nbytes_(nbytes), release_(std::move(release)) {}
  ~Storage() {
    if (release_ && data_) release_(data_);
  }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  Device device() const { return device_; }
  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }

 private:
  Device device_;
  void* data_;
  size_t nbytes_;
  std::function<void(void*)> release_;
};

using StoragePtr = std::shared_ptr<Storage>;

}  // namespace tn
