// Per-environment addon state (one per main thread or worker_thread), kept as N-API instance data.
#pragma once
#include <napi.h>

#include <memory>

#include "env_state.h"
#include "op_table.h"
#include "storage_table.h"

namespace tn {

struct AddonData {
  StorageTable storages;  // the storages this environment's tensors hold, by handle
  std::shared_ptr<EnvState> state;  // completions and lifecycle of this environment (shared with stream threads)
  KernelCache kernels;  // op id -> kernel, per device type
  // The call buffer lib/engine/kernel.ts packs each kernel call into (setCallBuffer): read in place, no JS values.
  Napi::Reference<Napi::Float64Array> callBufferRef;
  double* callBuffer = nullptr;
  size_t callBufferLength = 0;
  std::vector<double> createdScratch;  // new output handles of the call being made (reused: no allocation per call)
  std::unique_ptr<KernelContext> spareContext;  // the last context run at once, emptied, for the next call to reuse
};

AddonData& addonData(Napi::Env env);

}  // namespace tn
