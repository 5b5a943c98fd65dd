// StorageWrap: JS handle lifecycle, external-memory accounting, and unwrapping with clear errors.
#include "storage_wrap.h"

#include "addon_data.h"
#include "errors.h"

namespace tn {

Napi::Function StorageWrap::define(Napi::Env env) {
  return DefineClass(env, "Storage",
                     {InstanceMethod("dispose", &StorageWrap::dispose),
                      InstanceAccessor("nbytes", &StorageWrap::getNbytes, nullptr),
                      InstanceAccessor("device", &StorageWrap::getDevice, nullptr),
                      InstanceAccessor("disposed", &StorageWrap::getDisposed, nullptr)});
}

StorageWrap::StorageWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<StorageWrap>(info) {}

StorageWrap::~StorageWrap() {
  // Finalizer backstop for tensors that were never disposed: give the bytes back to V8's accounting too.
  if (storage_ && reported_) Napi::MemoryManagement::AdjustExternalMemory(Env(), -reported_);
  if (storage_ && storage_.use_count() > 1) storage_->markHeldByQueueOnly();
  storage_.reset();
}

Napi::Object StorageWrap::wrap(Napi::Env env, StoragePtr storage) {
  Napi::Object obj = addonData(env).storageConstructor.New({});
  StorageWrap* self = Napi::ObjectWrap<StorageWrap>::Unwrap(obj);
  self->reported_ = static_cast<int64_t>(storage->nbytes());
  self->storage_ = std::move(storage);
  Napi::MemoryManagement::AdjustExternalMemory(env, self->reported_);
  return obj;
}

StoragePtr StorageWrap::unwrap(Napi::Env env, const Napi::Value& value, const char* what) {
  if (!value.IsObject() || !value.As<Napi::Object>().InstanceOf(addonData(env).storageConstructor.Value())) {
    throw toJsError(env, makeError(ErrorKind::Value, what, ": expected a tensor storage"));
  }
  StorageWrap* self = Napi::ObjectWrap<StorageWrap>::Unwrap(value.As<Napi::Object>());
  if (!self->storage_) throw toJsError(env, makeError(ErrorKind::Disposed, what, ": tensor was disposed"));
  return self->storage_;
}

void StorageWrap::release(Napi::Env env) {
  if (!storage_) return;
  // Still held by queued work: counted (memory().numBytesInQueue) until the stream lets go of it.
  if (storage_.use_count() > 1) storage_->markHeldByQueueOnly();
  storage_.reset();  // queued kernels keep their own references; memory is freed after the last one
  Napi::MemoryManagement::AdjustExternalMemory(env, -reported_);
  reported_ = 0;
}

Napi::Value StorageWrap::dispose(const Napi::CallbackInfo& info) {
  release(info.Env());
  return info.Env().Undefined();
}

Napi::Value StorageWrap::getNbytes(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), storage_ ? static_cast<double>(storage_->nbytes()) : 0);
}

Napi::Value StorageWrap::getDevice(const Napi::CallbackInfo& info) {
  return storage_ ? Napi::String::New(info.Env(), storage_->device().str()) : info.Env().Null();
}

Napi::Value StorageWrap::getDisposed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !storage_);
}

}  // namespace tn
