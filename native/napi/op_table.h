// Op ids: kernel names interned once per process, so a call names its kernel by a number (no string per call).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "../core/device.h"
#include "../core/kernel.h"

namespace tn {

// The id of an op name, the same in every environment of the process (thread-safe). Any name gets an id; whether a
// device has a kernel of that name is checked when it runs.
uint32_t internOp(const std::string& name);
// The name of an interned id (stable for the process's life), or null for an id never handed out.
const std::string* opName(uint32_t id);

// One environment's (id, device type) -> kernel lookups, remembered after the first. Kernels found once stay valid
// (the table only grows: the CUDA module adds its kernels when it loads); misses are not remembered for that reason.
class KernelCache {
 public:
  struct Entry {
    KernelFn fn = nullptr;
    const std::string* name = nullptr;
  };
  // The kernel for `id` on `type`; fn is null when the device has none (name is null too for an unknown id).
  Entry lookup(DeviceType type, uint32_t id);

 private:
  std::vector<Entry> byType_[2];
};

}  // namespace tn
