// The functions the addon exports to lib/native.ts (one declaration per JS entry point).
#pragma once
#include <napi.h>

namespace tn {

Napi::Value runOp(const Napi::CallbackInfo& info);
Napi::Value runPackedCall(const Napi::CallbackInfo& info);
Napi::Value setCallBuffer(const Napi::CallbackInfo& info);
Napi::Value opId(const Napi::CallbackInfo& info);
Napi::Value deviceCode(const Napi::CallbackInfo& info);
Napi::Value listKernels(const Napi::CallbackInfo& info);
Napi::Value disposeStorage(const Napi::CallbackInfo& info);
Napi::Value fromHost(const Napi::CallbackInfo& info);
Napi::Value readAsync(const Napi::CallbackInfo& info);
Napi::Value readSync(const Napi::CallbackInfo& info);
Napi::Value synchronize(const Napi::CallbackInfo& info);
Napi::Value queueStats(const Napi::CallbackInfo& info);
Napi::Value whenReady(const Napi::CallbackInfo& info);
Napi::Value copyStorageToDevice(const Napi::CallbackInfo& info);
Napi::Value backendInfo(const Napi::CallbackInfo& info);
Napi::Value setNumThreads(const Napi::CallbackInfo& info);
Napi::Value setTF32(const Napi::CallbackInfo& info);
Napi::Value setCudnnBenchmark(const Napi::CallbackInfo& info);
Napi::Value emptyCache(const Napi::CallbackInfo& info);

}  // namespace tn
