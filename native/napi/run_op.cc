// run(op, device, specs, nInputs, attrs): re-checks a call, allocates missing outputs and queues the kernel.
#include "entry_points.h"

#include "../core/backend.h"
#include "addon_data.h"
#include "convert.h"
#include "errors.h"
#include "storage_wrap.h"

namespace tn {

namespace {

// specs is flat: [storage|null, dtypeCode, shape, storage|null, dtypeCode, shape, ...]; inputs first, then outputs.
TensorArg parseSpec(Napi::Env env, const Napi::Array& specs, uint32_t i, const std::string& what, bool allowNull) {
  TensorArg t;
  Napi::Value dtypeValue = specs.Get(i * 3 + 1);
  if (!dtypeValue.IsNumber() || !dtypeFromCode(dtypeValue.As<Napi::Number>().Int32Value(), t.dtype))
    throw toJsError(env, makeError(ErrorKind::DType, what, ": unknown dtype code"));
  t.shape = parseShape(env, specs.Get(i * 3 + 2), what);
  Napi::Value s = specs.Get(i * 3);
  if (allowNull && (s.IsNull() || s.IsUndefined())) return t;
  t.storage = StorageWrap::unwrap(env, s, what.c_str());
  size_t need = static_cast<size_t>(numel(t.shape)) * dtypeSize(t.dtype);
  if (t.storage->nbytes() < need)
    throw toJsError(env, makeError(ErrorKind::Internal, what, ": storage holds ", t.storage->nbytes(),
                                   " bytes but shape ", shapeStr(t.shape), " needs ", need));
  return t;
}

}  // namespace

Napi::Value runOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string op = info[0].As<Napi::String>().Utf8Value();
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

  auto ctx = std::make_unique<KernelContext>();
  ctx->op = op;
  ctx->backend = backend;
  ctx->owner = addonData(env).state->owner();
  ctx->attrs = parseAttrs(env, info[4], op);
  Napi::Array created = Napi::Array::New(env);
  for (uint32_t i = 0; i < nArgs; ++i) {
    bool isInput = i < nInputs;
    std::string what = op + (isInput ? ": input " : ": output ") + std::to_string(isInput ? i : i - nInputs);
    TensorArg t = parseSpec(env, specs, i, what, !isInput);
    if (t.storage && t.storage->device() != device)
      throw toJsError(env, makeError(ErrorKind::Device, what, " is on '", t.storage->device().str(), "', expected '",
                                     device.str(), "'"));
    if (!t.storage) {
      throwIfError(env, backend->allocate(static_cast<size_t>(numel(t.shape)) * dtypeSize(t.dtype), t.storage));
      created.Set(created.Length(), StorageWrap::wrap(env, t.storage));
    }
    (isInput ? ctx->inputs : ctx->outputs).push_back(std::move(t));
  }
  throwIfError(env, backend->enqueue(fn, std::move(ctx)));
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
