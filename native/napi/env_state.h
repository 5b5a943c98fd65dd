// EnvState: one JS environment's link with the stream threads: completions reach JS only while it lives.
#pragma once
#include <node_api.h>

#include <functional>
#include <memory>
#include <mutex>

#include "../core/stream_owner.h"

namespace tn {

// What a stream thread hands back to the JS thread: run there with the environment.
using Completion = std::function<void(napi_env)>;

// One completion's way back: a thread-safe function of its own (each wakes the event loop once, so timers and I/O
// run between completions as with any callback), delivered only while its environment lives.
class CompletionPort {
 public:
  // JS thread: creates the port (it keeps the event loop alive until the completion is delivered).
  static CompletionPort* create(napi_env env, const char* name);
  // Any thread, once: runs `fn` on the JS thread. Dropped (never run) once the environment is torn down or the
  // process is exiting, so a stream thread never touches a dead environment.
  void deliver(const std::shared_ptr<class EnvState>& state, Completion fn);

 private:
  static void callJs(napi_env env, napi_value, void*, void* data);
  napi_threadsafe_function tsfn_ = nullptr;
};

class EnvState {
 public:
  // Creates the state of `env`: its stream owner and the cleanup hook that cuts the link to the stream threads
  // (and stops the streams when it is the last environment).
  static std::shared_ptr<EnvState> create(napi_env env);

  const std::shared_ptr<StreamOwner>& owner() const { return owner_; }

 private:
  friend class CompletionPort;
  static void cleanup(void* arg);

  std::shared_ptr<StreamOwner> owner_ = std::make_shared<StreamOwner>();
  std::mutex mutex_;  // held while delivering, so the cleanup hook waits for a delivery in flight
  bool alive_ = true;
};

}  // namespace tn
