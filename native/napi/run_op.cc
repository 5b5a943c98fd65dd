// run(op, device, specs, nInputs, attrs): re-checks a call, allocates missing outputs and queues the kernel.
#include "entry_points.h"

#include "../core/backend.h"
#include "addon_data.h"
#include "convert.h"
#include "errors.h"

namespace tn {

namespace {

// "op: input 1" / "op: output 0": built only when an error needs it (this runs for every op call).
std::string argName(const std::string& op, uint32_t i, uint32_t nInputs) {
  bool isInput = i < nInputs;
  return op + (isInput ? ": input " : ": output ") + std::to_string(isInput ? i : i - nInputs);
}

// specs is flat: [storage|null, dtypeCode, shape, storage|null, dtypeCode, shape, ...]; inputs first, then outputs.
TensorArg parseSpec(Napi::Env env, const StorageTable& storages, const Napi::Array& specs, uint32_t i,
                    const std::string& op, uint32_t nInputs) {
  TensorArg t;
  Napi::Value dtypeValue = specs.Get(i * 3 + 1);
  if (!dtypeValue.IsNumber() || !dtypeFromCode(dtypeValue.As<Napi::Number>().Int32Value(), t.dtype))
    throw toJsError(env, makeError(ErrorKind::DType, argName(op, i, nInputs), ": unknown dtype code"));
  Napi::Value shapeValue = specs.Get(i * 3 + 2);
  if (!tryParseShape(shapeValue, t.shape)) parseShape(env, shapeValue, argName(op, i, nInputs));  // throws
  Napi::Value s = specs.Get(i * 3);
  if (i >= nInputs && (s.IsNull() || s.IsUndefined())) return t;
  const StoragePtr* found = storages.find(s);
  if (!found) storages.get(env, s, argName(op, i, nInputs).c_str());  // throws the exact error
  t.storage = *found;
  size_t need = static_cast<size_t>(numel(t.shape)) * dtypeSize(t.dtype);
  if (t.storage->nbytes() < need)
    throw toJsError(env, makeError(ErrorKind::Internal, argName(op, i, nInputs), ": storage holds ",
                                   t.storage->nbytes(), " bytes but shape ", shapeStr(t.shape), " needs ", need));
  return t;
}

}  // namespace

Napi::Value runOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = addonData(env);
  auto ctx = std::make_unique<KernelContext>();
  ctx->op = info[0].As<Napi::String>().Utf8Value();
  const std::string& op = ctx->op;
  Device device = parseDevice(env, info[1]);
  Napi::Array specs = info[2].As<Napi::Array>();
  uint32_t nInputs = info[3].As<Napi::Number>().Uint32Value();
  uint32_t nArgs = specs.Length() / 3;
  if (specs.Length() % 3 != 0 || nInputs > nArgs)
    throw toJsError(env, makeError(ErrorKind::Internal, op, ": malformed argument specs"));

  Backend* backend = nullptr;
  throwIfError(env, getBackend(device, backend));
  KernelFn fn = findKernel(device.type, op);
  if (!fn) throw toJsError(env, makeError(ErrorKind::Device, op, ": no kernel for device '", device.str(), "'"));

  ctx->backend = backend;
  ctx->owner = data.state->owner();
  ctx->attrs = parseAttrs(env, info[4], op);
  ctx->inputs.reserve(nInputs);
  ctx->outputs.reserve(nArgs - nInputs);
  std::vector<uint32_t> createdAt;  // outputs allocated here, returned as new handles
  for (uint32_t i = 0; i < nArgs; ++i) {
    bool isInput = i < nInputs;
    TensorArg t = parseSpec(env, data.storages, specs, i, op, nInputs);
    if (t.storage && t.storage->device() != device)
      throw toJsError(env, makeError(ErrorKind::Device, argName(op, i, nInputs), " is on '",
                                     t.storage->device().str(), "', expected '", device.str(), "'"));
    if (!t.storage) {
      throwIfError(env, backend->allocate(static_cast<size_t>(numel(t.shape)) * dtypeSize(t.dtype), t.storage));
      createdAt.push_back(static_cast<uint32_t>(ctx->outputs.size()));
    }
    (isInput ? ctx->inputs : ctx->outputs).push_back(std::move(t));
  }
  // Handles are made before the kernel is queued: a small kernel may run (and its context go) inside enqueue.
  Napi::Array created = Napi::Array::New(env, createdAt.size());
  for (uint32_t k = 0; k < createdAt.size(); ++k)
    created.Set(k, Napi::Number::New(env, data.storages.add(env, ctx->outputs[createdAt[k]].storage)));
  Status queued = backend->enqueue(fn, std::move(ctx));
  if (!queued.isOk()) {
    for (uint32_t k = 0; k < createdAt.size(); ++k) data.storages.release(env, created.Get(k));
    throw toJsError(env, queued);
  }
  return created;
}

Napi::Value listKernels(const Napi::CallbackInfo& info) {
  Device device = parseDevice(info.Env(), info[0]);
  if (device.type == DeviceType::CUDA) cudaHooks();  // loads the CUDA module, whose kernels then join the table
  Napi::Array out = Napi::Array::New(info.Env());
  for (const std::string& name : kernelNames(device.type)) out.Set(out.Length(), name);
  return out;
}

}  // namespace tn
