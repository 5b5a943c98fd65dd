// The kernel table: (device type, op name) -> kernel function, filled by static registration.
#include <map>
#include <utility>

#include "kernel.h"

namespace tn {

namespace {
std::map<std::pair<int, std::string>, KernelFn>& table() {
  static auto* t = new std::map<std::pair<int, std::string>, KernelFn>();  // never destroyed: used at exit
  return *t;
}
}  // namespace

bool registerKernel(DeviceType type, const char* name, KernelFn fn) {
  table()[{static_cast<int>(type), name}] = fn;
  return true;
}

KernelFn findKernel(DeviceType type, const std::string& name) {
  auto it = table().find({static_cast<int>(type), name});
  return it == table().end() ? nullptr : it->second;
}

std::vector<std::string> kernelNames(DeviceType type) {
  std::vector<std::string> names;
  for (auto& [key, fn] : table())
    if (key.first == static_cast<int>(type)) names.push_back(key.second);
  return names;
}

Status checkArity(const KernelContext& ctx, size_t nIn, size_t nOut) {
  TN_CHECK(ctx.inputs.size() == nIn && ctx.outputs.size() == nOut, Internal, ctx.op, ": expected ", nIn,
           " inputs and ", nOut, " outputs, got ", ctx.inputs.size(), " and ", ctx.outputs.size());
  return Status::ok();
}

Status checkDType(const KernelContext& ctx, const TensorArg& t, DType want, const char* argName) {
  TN_CHECK(t.dtype == want, DType, ctx.op, ": argument '", argName, "' must be ", dtypeName(want), ", got ",
           dtypeName(t.dtype));
  return Status::ok();
}

void runQueuedKernel(KernelFn fn, KernelContext& ctx) {
  if (ctx.owner && ctx.owner->cancelled()) return;
  for (const TensorArg& in : ctx.inputs) {
    if (const Status* p = in.storage->poisoned()) {
      for (TensorArg& out : ctx.outputs) out.storage->poison(*p);
      return;
    }
  }
  Status s = fn(ctx);
  if (s.isOk()) return;
  for (TensorArg& out : ctx.outputs) out.storage->poison(s);
  if (ctx.owner) ctx.owner->record(s);
}

}  // namespace tn
