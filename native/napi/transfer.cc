// Host <-> device transfers: fromHost, async read (promise resolved from the stream), sync read, device copy.
#include <cstring>

#include "../core/backend.h"
#include "addon_data.h"
#include "convert.h"
#include "entry_points.h"
#include "errors.h"
#include "storage_table.h"

namespace tn {

namespace {

// The bytes of a read as an ArrayBuffer that owns them (no second copy where the runtime allows external buffers).
napi_value hostBuffer(napi_env env, std::shared_ptr<std::vector<uint8_t>> bytes) {
  napi_value buffer = nullptr;
  if (!bytes || bytes->empty()) {
    void* unused = nullptr;
    napi_create_arraybuffer(env, 0, &unused, &buffer);
    return buffer;
  }
  auto* holder = new std::shared_ptr<std::vector<uint8_t>>(std::move(bytes));
  napi_status s = napi_create_external_arraybuffer(
      env, (*holder)->data(), (*holder)->size(),
      [](napi_env, void*, void* hint) { delete static_cast<std::shared_ptr<std::vector<uint8_t>>*>(hint); }, holder,
      &buffer);
  if (s != napi_ok) {
    // Runtimes that forbid external buffers: fall back to one more copy.
    void* data = nullptr;
    buffer = nullptr;
    if (napi_create_arraybuffer(env, (*holder)->size(), &data, &buffer) == napi_ok)
      std::memcpy(data, (*holder)->data(), (*holder)->size());
    delete holder;
  }
  return buffer;
}

// Settles a read's promise on the JS thread with the bytes, or rejects it with the read's error.
void settleRead(napi_env env, napi_deferred deferred, const Status& status, std::shared_ptr<std::vector<uint8_t>> bytes) {
  if (!status.isOk()) {
    napi_reject_deferred(env, deferred, toJsError(Napi::Env(env), status).Value());
    return;
  }
  if (napi_value buffer = hostBuffer(env, std::move(bytes))) napi_resolve_deferred(env, deferred, buffer);
}

// Checks that [offset, offset+nbytes) lies inside the storage.
void checkRange(Napi::Env env, const StoragePtr& s, double offset, double nbytes, const char* what) {
  if (!(offset >= 0) || !(nbytes >= 0) || offset + nbytes > static_cast<double>(s->nbytes()))
    throw toJsError(env, makeError(ErrorKind::Value, what, ": range [", offset, ", ", offset + nbytes,
                                   ") is outside the storage of ", s->nbytes(), " bytes"));
}

}  // namespace

// fromHost(device, typedArray) -> Storage holding a copy of the bytes.
Napi::Value fromHost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Device device = parseDevice(env, info[0]);
  if (!info[1].IsTypedArray()) throw toJsError(env, makeError(ErrorKind::Value, "fromHost: expected a typed array"));
  Napi::TypedArray arr = info[1].As<Napi::TypedArray>();
  const uint8_t* src = static_cast<const uint8_t*>(arr.ArrayBuffer().Data()) + arr.ByteOffset();
  Backend* backend = nullptr;
  throwIfError(env, getBackend(device, backend));
  StoragePtr storage;
  throwIfError(env, backend->fromHost(src, arr.ByteLength(), storage));
  return Napi::Number::New(env, addonData(env).storages.add(env, std::move(storage)));
}

// dispose(storage): drops the handle's reference; queued kernels keep theirs (idempotent).
Napi::Value disposeStorage(const Napi::CallbackInfo& info) {
  addonData(info.Env()).storages.release(info.Env(), info[0]);
  return info.Env().Undefined();
}

// read(storage, offset, nbytes) -> Promise<ArrayBuffer>, settled when the device stream reaches the read; or, for a
// small read on an idle stream, the ArrayBuffer itself.
Napi::Value readAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StoragePtr storage = addonData(env).storages.get(env, info[0], "read");
  double offset = info[1].As<Napi::Number>().DoubleValue(), nbytes = info[2].As<Napi::Number>().DoubleValue();
  checkRange(env, storage, offset, nbytes, "read");
  Backend* backend = nullptr;
  throwIfError(env, getBackend(storage->device(), backend));
  std::shared_ptr<EnvState> state = addonData(env).state;
  // The stream is idle and the read small: copied here, without the stream thread and a completion port. The bytes
  // come back as an ArrayBuffer (lib/native.ts settles its promise on the next event-loop turn, as a queued read
  // would be); a failed kernel's error as a rejected promise.
  Status nowStatus;
  std::shared_ptr<std::vector<uint8_t>> nowBytes;
  bool readNow =
      backend->readNowIfIdle(storage, static_cast<size_t>(offset), static_cast<size_t>(nbytes), nowStatus, nowBytes);
  if (readNow && nowStatus.isOk()) {
    if (napi_value buffer = hostBuffer(env, std::move(nowBytes))) return Napi::Value(env, buffer);
    throw Napi::Error::New(env);
  }
  napi_deferred deferred = nullptr;
  napi_value promise = nullptr;
  if (napi_create_promise(env, &deferred, &promise) != napi_ok) throw Napi::Error::New(env);
  if (readNow) {
    state->owner()->observed(nowStatus);
    settleRead(env, deferred, nowStatus, nullptr);
    return Napi::Value(env, promise);
  }
  CompletionPort* port = CompletionPort::create(env, "tensornode.read");
  if (!port) throw Napi::Error::New(env, "read: cannot create a completion port");
  // The stream thread delivers the completion; it is dropped if this environment is gone by then (worker terminated).
  backend->readAsync(storage, static_cast<size_t>(offset), static_cast<size_t>(nbytes),
                     [state, port, deferred](Status status, std::shared_ptr<std::vector<uint8_t>> bytes) {
                       if (!status.isOk()) state->owner()->observed(status);
                       port->deliver(state, [deferred, status, bytes](napi_env e) { settleRead(e, deferred, status, bytes); });
                     });
  return Napi::Value(env, promise);
}

// readSync(storage, offset, nbytes) -> ArrayBuffer; waits for the device (the documented exception).
Napi::Value readSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StoragePtr storage = addonData(env).storages.get(env, info[0], "readSync");
  double offset = info[1].As<Napi::Number>().DoubleValue(), nbytes = info[2].As<Napi::Number>().DoubleValue();
  checkRange(env, storage, offset, nbytes, "readSync");
  Backend* backend = nullptr;
  throwIfError(env, getBackend(storage->device(), backend));
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, static_cast<size_t>(nbytes));
  Status s = backend->toHostSync(storage, static_cast<size_t>(offset), static_cast<size_t>(nbytes), buffer.Data());
  if (!s.isOk()) addonData(env).state->owner()->observed(s);
  throwIfError(env, s);
  return buffer;
}

// sync(device): waits for the device's queued work; throws the first error this environment's kernels raised.
Napi::Value synchronize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Backend* backend = nullptr;
  throwIfError(env, getBackend(parseDevice(env, info[0]), backend));
  throwIfError(env, backend->synchronize());
  throwIfError(env, addonData(env).state->owner()->take());
  return env.Undefined();
}

// queueStats(device) -> { kernels, bytes, queueOnlyBytes }: work queued on the device and memory only it holds.
Napi::Value queueStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Device device = parseDevice(env, info[0]);
  Backend* backend = nullptr;
  throwIfError(env, getBackend(device, backend));
  Backend::QueueStats q = backend->queueStats();
  Napi::Object out = Napi::Object::New(env);
  out.Set("kernels", static_cast<double>(q.kernels));
  out.Set("bytes", static_cast<double>(q.bytes));
  out.Set("queueOnlyBytes", static_cast<double>(queueOnlyBytes(device).load()));
  return out;
}

// whenReady(device) -> Promise<void>, resolved once the device's queue is at or below half its bounds.
Napi::Value whenReady(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Backend* backend = nullptr;
  throwIfError(env, getBackend(parseDevice(env, info[0]), backend));
  napi_deferred deferred = nullptr;
  napi_value promise = nullptr;
  if (napi_create_promise(env, &deferred, &promise) != napi_ok) throw Napi::Error::New(env);
  std::shared_ptr<EnvState> state = addonData(env).state;
  CompletionPort* port = CompletionPort::create(env, "tensornode.whenReady");
  if (!port) throw Napi::Error::New(env, "whenReady: cannot create a completion port");
  backend->whenReady([state, port, deferred] {
    port->deliver(state, [deferred](napi_env e) {
      napi_value undefined = nullptr;
      napi_get_undefined(e, &undefined);
      napi_resolve_deferred(e, deferred, undefined);
    });
  });
  return Napi::Value(env, promise);
}

// copyTo(storage, nbytes, device) -> Storage on the target device.
Napi::Value copyStorageToDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StoragePtr storage = addonData(env).storages.get(env, info[0], "to");
  double nbytes = info[1].As<Napi::Number>().DoubleValue();
  checkRange(env, storage, 0, nbytes, "to");
  StoragePtr out;
  throwIfError(env, tn::copyToDevice(storage, static_cast<size_t>(nbytes), parseDevice(env, info[2]), out));
  return Napi::Number::New(env, addonData(env).storages.add(env, std::move(out)));
}

}  // namespace tn
