// The kernel interface: what one op call hands a backend kernel, and the registry that finds kernels by name.
#pragma once
#include <string>
#include <vector>

#include "attrs.h"
#include "device.h"
#include "dtype.h"
#include "shape.h"
#include "status.h"
#include "storage.h"
#include "stream_owner.h"
#include <memory>

namespace tn {

class Backend;

// A contiguous tensor as a kernel sees it. The storage is held for as long as the kernel is queued.
struct TensorArg {
  StoragePtr storage;
  DType dtype = DType::Float32;
  Shape shape;

  int64_t size() const { return numel(shape); }
  int64_t dim(int i) const { return shape[i < 0 ? shape.size() + i : i]; }
  int rank() const { return static_cast<int>(shape.size()); }
  template <typename T>
  T* data() const { return static_cast<T*>(storage->data()); }
};

struct KernelContext {
  std::string op;
  std::vector<TensorArg> inputs;
  std::vector<TensorArg> outputs;
  Attrs attrs;
  Backend* backend = nullptr;
  // The environment that queued the call: a failure is recorded there (for its synchronize()), never elsewhere.
  std::shared_ptr<StreamOwner> owner;

  const TensorArg& in(size_t i) const { return inputs[i]; }
  const TensorArg& out(size_t i) const { return outputs[i]; }
};

using KernelFn = Status (*)(KernelContext& ctx);

// Registers `fn` as the kernel named `name` on `type`. Used through TN_REGISTER_KERNEL at namespace scope.
bool registerKernel(DeviceType type, const char* name, KernelFn fn);
KernelFn findKernel(DeviceType type, const std::string& name);
std::vector<std::string> kernelNames(DeviceType type);

// Checks that a kernel got the expected number of inputs and outputs (the JS layer already did; this is the re-check).
Status checkArity(const KernelContext& ctx, size_t nIn, size_t nOut);
// Checks one argument's dtype, naming the op and the argument.
Status checkDType(const KernelContext& ctx, const TensorArg& t, DType want, const char* argName);

// Runs a queued kernel with the poison rules every stream follows (KERNELS.md): work of a cancelled owner is
// skipped; a poisoned input poisons every output without running the kernel; a failing kernel poisons every output
// and records the error with its owner. Never lets an output read back memory the kernel did not write.
void runQueuedKernel(KernelFn fn, KernelContext& ctx);

}  // namespace tn

#define TN_CONCAT_INNER(a, b) a##b
#define TN_CONCAT(a, b) TN_CONCAT_INNER(a, b)
#define TN_REGISTER_KERNEL(deviceType, name, fn) \
  static const bool TN_CONCAT(tn_kernel_registered_, __LINE__) = ::tn::registerKernel(deviceType, name, fn)
