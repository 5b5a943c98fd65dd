// Per-environment addon state (one per main thread or worker_thread), kept as N-API instance data.
#pragma once
#include <napi.h>

#include <memory>

#include "env_state.h"
#include "storage_table.h"

namespace tn {

struct AddonData {
  StorageTable storages;  // the storages this environment's tensors hold, by handle
  std::shared_ptr<EnvState> state;  // completions and lifecycle of this environment (shared with stream threads)
};

AddonData& addonData(Napi::Env env);

}  // namespace tn
