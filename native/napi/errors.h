// Turns a native Status into a thrown JS error whose `kind` names the tensornode error class.
#pragma once
#include <napi.h>

#include "../core/status.h"

namespace tn {

Napi::Error toJsError(Napi::Env env, const Status& status);
// Throws (as a C++ exception caught by node-addon-api) when `status` is not ok.
void throwIfError(Napi::Env env, const Status& status);

}  // namespace tn
