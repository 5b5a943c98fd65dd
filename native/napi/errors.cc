// Status -> JS Error with a `kind` property; lib/native.ts rethrows it as the matching typed error class.
#include "errors.h"

namespace tn {

Napi::Error toJsError(Napi::Env env, const Status& status) {
  Napi::Error err = Napi::Error::New(env, status.message());
  err.Set("kind", Napi::String::New(env, errorKindName(status.kind())));
  return err;
}

void throwIfError(Napi::Env env, const Status& status) {
  if (!status.isOk()) throw toJsError(env, status);
}

}  // namespace tn
