// Per-environment addon state (one per main thread or worker_thread), kept as N-API instance data.
#pragma once
#include <napi.h>

namespace tn {

struct AddonData {
  Napi::FunctionReference storageConstructor;
};

AddonData& addonData(Napi::Env env);

}  // namespace tn
