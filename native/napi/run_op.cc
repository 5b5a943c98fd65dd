// Kernel calls from JS: a call packed into numbers (op id, device code, handles, dtypes, shapes) is re-checked,
// its missing outputs allocated and its kernel queued.
#include "entry_points.h"

#include <cmath>

#include "../core/backend.h"
#include "addon_data.h"
#include "convert.h"
#include "errors.h"

namespace tn {

namespace {

// The packed layout (lib/engine/kernel.ts writes it; runOp builds it from the array form):
//   [opId, deviceCode, nInputs, nArgs, then per argument: handle, dtypeCode, rank, dim 0, ..., dim rank-1]
// inputs first, then outputs; an output's handle is 0 (never a valid handle) when the call allocates it. Device
// code 0 is the CPU, k >= 1 is cuda:(k-1).
constexpr size_t kHeader = 4;
constexpr double kMaxDim = 9.0e15;  // dims and element counts stay exact in doubles and int64

bool isIndex(double v, double max) { return v >= 0 && v <= max && v == std::floor(v); }

// "op: input 1" / "op: output 0": built only when an error needs it (this runs for every op call).
std::string argName(const std::string& op, uint32_t i, uint32_t nInputs) {
  bool isInput = i < nInputs;
  return op + (isInput ? ": input " : ": output ") + std::to_string(isInput ? i : i - nInputs);
}

Napi::Error malformed(Napi::Env env, const std::string& op, const char* what) {
  return toJsError(env, makeError(ErrorKind::Internal, op, ": malformed kernel call (", what, ")"));
}

// Reads argument i at args[pos...] into t (reusing its shape's memory); advances pos past it.
void readArg(Napi::Env env, const StorageTable& storages, const double* args, size_t len, size_t& pos, uint32_t i,
             const std::string& op, uint32_t nInputs, TensorArg& t) {
  if (pos + 3 > len) throw malformed(env, op, "arguments run past the buffer");
  double handle = args[pos], dtype = args[pos + 1], rank = args[pos + 2];
  if (!isIndex(dtype, 2) || !dtypeFromCode(static_cast<int32_t>(dtype), t.dtype))
    throw toJsError(env, makeError(ErrorKind::DType, argName(op, i, nInputs), ": unknown dtype code"));
  if (!isIndex(rank, static_cast<double>(len)) || pos + 3 + static_cast<size_t>(rank) > len)
    throw malformed(env, op, "a rank runs past the buffer");
  const double* dims = args + pos + 3;
  t.shape.resize(static_cast<size_t>(rank));
  double total = 1;
  for (size_t d = 0; d < t.shape.size(); ++d) {
    if (!isIndex(dims[d], kMaxDim))
      throw toJsError(env, makeError(ErrorKind::Shape, argName(op, i, nInputs), ": shape entries must be non-negative integers"));
    t.shape[d] = static_cast<int64_t>(dims[d]);
    total *= dims[d];
  }
  if (total > kMaxDim) throw toJsError(env, makeError(ErrorKind::Shape, argName(op, i, nInputs), ": shape is too large"));
  pos += 3 + t.shape.size();
  t.storage.reset();
  if (i >= nInputs && handle == 0) return;  // an output the call allocates
  const StoragePtr* found = storages.find(handle);
  if (!found) storages.get(env, handle, argName(op, i, nInputs).c_str());  // throws the exact error
  t.storage = *found;
  size_t need = static_cast<size_t>(numel(t.shape)) * dtypeSize(t.dtype);
  if (t.storage->nbytes() < need)
    throw toJsError(env, makeError(ErrorKind::Internal, argName(op, i, nInputs), ": storage holds ",
                                   t.storage->nbytes(), " bytes but shape ", shapeStr(t.shape), " needs ", need));
}

// The context a call fills: the environment's spare one (kept from the last call that ran at once) or a new one.
// While it is filled and run here it holds storages; the destructor drops them on every way out (return or throw), so
// a spare never keeps memory alive between calls.
struct ContextLease {
  std::unique_ptr<KernelContext>& spare;
  std::unique_ptr<KernelContext> ctx;
  explicit ContextLease(std::unique_ptr<KernelContext>& s) : spare(s), ctx(s ? std::move(s) : std::make_unique<KernelContext>()) {}
  ~ContextLease() {
    if (!ctx) return;  // queued: the stream owns it now
    for (TensorArg& t : ctx->inputs) t.storage.reset();
    for (TensorArg& t : ctx->outputs) t.storage.reset();
    ctx->attrs = Attrs();
    spare = std::move(ctx);
  }
};

// Runs one packed call; the handles of the outputs it allocated are left in data.createdScratch, in order.
void runPacked(Napi::Env env, AddonData& data, const double* args, size_t len, const Napi::Value& attrs) {
  static const std::string kUnknown = "kernel call";
  if (len < kHeader) throw malformed(env, kUnknown, "no header");
  if (!isIndex(args[0], 4294967295.0)) throw malformed(env, kUnknown, "op id");
  uint32_t opId = static_cast<uint32_t>(args[0]);
  if (!isIndex(args[1], 65536)) throw malformed(env, kUnknown, "device code");
  Device device = args[1] == 0 ? Device{DeviceType::CPU, 0} : Device{DeviceType::CUDA, static_cast<int>(args[1]) - 1};
  KernelCache::Entry kernel = data.kernels.lookup(device.type, opId);
  if (!kernel.name) throw malformed(env, kUnknown, "unknown op id");
  const std::string& op = *kernel.name;
  if (!isIndex(args[3], 65536) || !isIndex(args[2], args[3])) throw malformed(env, op, "argument counts");
  uint32_t nInputs = static_cast<uint32_t>(args[2]), nArgs = static_cast<uint32_t>(args[3]);

  Backend* backend = nullptr;
  throwIfError(env, getBackend(device, backend));
  if (!kernel.fn) throw toJsError(env, makeError(ErrorKind::Device, op, ": no kernel for device '", device.str(), "'"));

  ContextLease lease(data.spareContext);
  KernelContext& ctx = *lease.ctx;
  ctx.op = op;
  ctx.backend = backend;
  if (!ctx.owner) ctx.owner = data.state->owner();
  ctx.attrs = parseAttrs(env, attrs, op);
  ctx.inputs.resize(nInputs);
  ctx.outputs.resize(nArgs - nInputs);
  std::vector<double>& created = data.createdScratch;
  created.clear();
  size_t pos = kHeader;
  for (uint32_t i = 0; i < nArgs; ++i) {
    TensorArg& t = i < nInputs ? ctx.inputs[i] : ctx.outputs[i - nInputs];
    readArg(env, data.storages, args, len, pos, i, op, nInputs, t);
    if (t.storage && t.storage->device() != device)
      throw toJsError(env, makeError(ErrorKind::Device, argName(op, i, nInputs), " is on '",
                                     t.storage->device().str(), "', expected '", device.str(), "'"));
    if (!t.storage)
      throwIfError(env, backend->allocate(static_cast<size_t>(numel(t.shape)) * dtypeSize(t.dtype), t.storage));
  }
  // Handles are made before the kernel runs or is queued. The outputs allocated here are exactly those whose spec had
  // handle 0.
  pos = kHeader;
  for (uint32_t i = 0; i < nArgs; ++i) {
    if (i >= nInputs && args[pos] == 0) created.push_back(data.storages.add(env, ctx.outputs[i - nInputs].storage));
    pos += 3 + static_cast<size_t>(args[pos + 2]);
  }
  // A small kernel on an idle stream runs here and leaves its context for the next call (no allocation per call).
  if (backend->runKernelNowIfIdle(kernel.fn, ctx)) return;
  Status queued = backend->enqueue(kernel.fn, std::move(lease.ctx));
  if (!queued.isOk()) {
    for (double h : created) data.storages.release(env, h);
    created.clear();
    throw toJsError(env, queued);
  }
}

}  // namespace

Napi::Value setCallBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw toJsError(env, makeError(ErrorKind::Value, "setCallBuffer: expected a Float64Array"));
  AddonData& data = addonData(env);
  Napi::Float64Array buffer = info[0].As<Napi::Float64Array>();
  data.callBufferRef = Napi::Persistent(buffer);  // keeps the memory alive (and in place: it cannot be resized)
  data.callBuffer = buffer.Data();
  data.callBufferLength = buffer.ElementLength();
  return env.Undefined();
}

Napi::Value opId(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) throw toJsError(info.Env(), makeError(ErrorKind::Value, "opId: op name must be a string"));
  return Napi::Number::New(info.Env(), internOp(info[0].As<Napi::String>().Utf8Value()));
}

Napi::Value deviceCode(const Napi::CallbackInfo& info) {
  Device device = parseDevice(info.Env(), info[0]);
  return Napi::Number::New(info.Env(), device.type == DeviceType::CPU ? 0 : device.index + 1);
}

// call(attrs?): runs the call packed in the call buffer; the new outputs' handles are written to its first slots and
// their count returned.
Napi::Value runPackedCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = addonData(env);
  if (!data.callBuffer) throw toJsError(env, makeError(ErrorKind::Internal, "call: no call buffer (setCallBuffer)"));
  runPacked(env, data, data.callBuffer, data.callBufferLength, info[0]);
  const std::vector<double>& created = data.createdScratch;
  for (size_t k = 0; k < created.size(); ++k) data.callBuffer[k] = created[k];  // the header was read: free to reuse
  return Napi::Number::New(env, static_cast<double>(created.size()));
}

// run(op, device, specs, nInputs, attrs): the same call from plain values, specs being
// [storage|null, dtypeCode, shape, ...]; returns the new outputs' handles. For tools and tests that drive the addon
// without lib/ (lib packs calls itself).
Napi::Value runOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw toJsError(env, makeError(ErrorKind::Value, "run: op name must be a string"));
  std::string op = info[0].As<Napi::String>().Utf8Value();
  Device device = parseDevice(env, info[1]);
  if (!info[2].IsArray()) throw toJsError(env, makeError(ErrorKind::Internal, op, ": malformed argument specs"));
  Napi::Array specs = info[2].As<Napi::Array>();
  uint32_t nInputs = info[3].As<Napi::Number>().Uint32Value();
  uint32_t nArgs = specs.Length() / 3;
  if (specs.Length() % 3 != 0 || nInputs > nArgs)
    throw toJsError(env, makeError(ErrorKind::Internal, op, ": malformed argument specs"));
  std::vector<double> packed{static_cast<double>(internOp(op)),
                             device.type == DeviceType::CPU ? 0.0 : static_cast<double>(device.index + 1),
                             static_cast<double>(nInputs), static_cast<double>(nArgs)};
  Shape shape;
  for (uint32_t i = 0; i < nArgs; ++i) {
    Napi::Value handle = specs.Get(i * 3), dtype = specs.Get(i * 3 + 1);
    packed.push_back(handle.IsNull() || handle.IsUndefined() ? 0 : StorageTable::handleOf(handle));
    packed.push_back(dtype.IsNumber() ? dtype.As<Napi::Number>().DoubleValue() : -1);
    shape = parseShape(env, specs.Get(i * 3 + 2), argName(op, i, nInputs));
    packed.push_back(static_cast<double>(shape.size()));
    for (int64_t d : shape) packed.push_back(static_cast<double>(d));
  }
  AddonData& data = addonData(env);
  runPacked(env, data, packed.data(), packed.size(), info[4]);
  Napi::Array created = Napi::Array::New(env, data.createdScratch.size());
  for (uint32_t k = 0; k < data.createdScratch.size(); ++k) created.Set(k, Napi::Number::New(env, data.createdScratch[k]));
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
