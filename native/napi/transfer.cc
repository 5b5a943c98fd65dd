// Host <-> device transfers: fromHost, async read (promise resolved from the stream), sync read, device copy.
#include <cstring>

#include "../core/backend.h"
#include "convert.h"
#include "entry_points.h"
#include "errors.h"
#include "storage_wrap.h"

namespace tn {

namespace {

struct ReadResult {
  Status status;
  std::shared_ptr<std::vector<uint8_t>> bytes;
};

void settleRead(Napi::Env env, Napi::Function, Napi::Promise::Deferred* deferred, ReadResult* result) {
  if (env != nullptr) {
    if (result->status.isOk()) {
      Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, result->bytes->size());
      if (!result->bytes->empty()) std::memcpy(buffer.Data(), result->bytes->data(), result->bytes->size());
      deferred->Resolve(buffer);
    } else {
      deferred->Reject(toJsError(env, result->status).Value());
    }
  }
  delete result;
}

using ReadTsfn = Napi::TypedThreadSafeFunction<Napi::Promise::Deferred, ReadResult, settleRead>;

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
  return StorageWrap::wrap(env, storage);
}

// read(storage, offset, nbytes) -> Promise<ArrayBuffer>, settled when the device stream reaches the read.
Napi::Value readAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StoragePtr storage = StorageWrap::unwrap(env, info[0], "read");
  double offset = info[1].As<Napi::Number>().DoubleValue(), nbytes = info[2].As<Napi::Number>().DoubleValue();
  checkRange(env, storage, offset, nbytes, "read");
  Backend* backend = nullptr;
  throwIfError(env, getBackend(storage->device(), backend));
  auto* deferred = new Napi::Promise::Deferred(env);
  Napi::Promise promise = deferred->Promise();
  ReadTsfn tsfn = ReadTsfn::New(env, "tensornode.read", 0, 1, deferred,
                                [](Napi::Env, void*, Napi::Promise::Deferred* d) { delete d; });
  backend->readAsync(storage, static_cast<size_t>(offset), static_cast<size_t>(nbytes),
                     [tsfn](Status status, std::shared_ptr<std::vector<uint8_t>> bytes) mutable {
                       tsfn.BlockingCall(new ReadResult{std::move(status), std::move(bytes)});
                       tsfn.Release();
                     });
  return promise;
}

// readSync(storage, offset, nbytes) -> ArrayBuffer; waits for the device (the documented exception).
Napi::Value readSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StoragePtr storage = StorageWrap::unwrap(env, info[0], "readSync");
  double offset = info[1].As<Napi::Number>().DoubleValue(), nbytes = info[2].As<Napi::Number>().DoubleValue();
  checkRange(env, storage, offset, nbytes, "readSync");
  Backend* backend = nullptr;
  throwIfError(env, getBackend(storage->device(), backend));
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, static_cast<size_t>(nbytes));
  throwIfError(env, backend->toHostSync(storage, static_cast<size_t>(offset), static_cast<size_t>(nbytes), buffer.Data()));
  return buffer;
}

// sync(device): waits for the device's queued work; throws the first error it raised.
Napi::Value synchronize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Backend* backend = nullptr;
  throwIfError(env, getBackend(parseDevice(env, info[0]), backend));
  throwIfError(env, backend->synchronize());
  return env.Undefined();
}

// copyTo(storage, nbytes, device) -> Storage on the target device.
Napi::Value copyStorageToDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StoragePtr storage = StorageWrap::unwrap(env, info[0], "to");
  double nbytes = info[1].As<Napi::Number>().DoubleValue();
  checkRange(env, storage, 0, nbytes, "to");
  StoragePtr out;
  throwIfError(env, tn::copyToDevice(storage, static_cast<size_t>(nbytes), parseDevice(env, info[2]), out));
  return StorageWrap::wrap(env, out);
}

}  // namespace tn
