// StorageWrap: the JS handle of a native Storage; dispose() or the GC finalizer drops the reference.
#pragma once
#include <napi.h>

#include "../core/storage.h"

namespace tn {

class StorageWrap : public Napi::ObjectWrap<StorageWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  // Wraps a native storage in a new JS object and reports its bytes to V8 as external memory.
  static Napi::Object wrap(Napi::Env env, StoragePtr storage);
  // Returns the storage behind a JS value, or throws a DisposedError / TypeError naming `what`.
  static StoragePtr unwrap(Napi::Env env, const Napi::Value& value, const char* what);

  explicit StorageWrap(const Napi::CallbackInfo& info);
  ~StorageWrap() override;

 private:
  Napi::Value dispose(const Napi::CallbackInfo& info);
  Napi::Value getNbytes(const Napi::CallbackInfo& info);
  Napi::Value getDevice(const Napi::CallbackInfo& info);
  Napi::Value getDisposed(const Napi::CallbackInfo& info);
  void release(Napi::Env env);

  StoragePtr storage_;
  int64_t reported_ = 0;
};

}  // namespace tn
