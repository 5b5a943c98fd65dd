// EnvState: one JS environment's link with the stream threads: completions reach JS only while it lives.
#pragma once
#include <node_api.h>

#include <functional>
#include <memory>
#include <mutex>

#include "../core/stream_owner.h"

namespace tn {

class EnvState {
 public:
  // Creates the state of `env`: its stream owner, the thread-safe function that carries completions to its JS
  // thread, and the cleanup hook that cuts that link (and stops the streams when it is the last environment).
  static std::shared_ptr<EnvState> create(napi_env env);

  // JS thread: one more completion is coming (keeps the event loop alive until it has been delivered).
  void expect(napi_env env);
  // Any thread: runs `fn` on the JS thread with the environment. Dropped (never run) once the environment is torn
  // down or the process is exiting, so a stream thread never touches a dead environment.
  void post(std::function<void(napi_env)> fn);

  const std::shared_ptr<StreamOwner>& owner() const { return owner_; }

 private:
  static void callJs(napi_env env, napi_value, void* context, void* data);
  static void cleanup(void* arg);

  std::shared_ptr<StreamOwner> owner_ = std::make_shared<StreamOwner>();
  std::mutex mutex_;  // held while posting, so the cleanup hook waits for a post in flight
  bool alive_ = true;
  napi_threadsafe_function tsfn_ = nullptr;
  int expected_ = 0;  // JS thread only
  std::weak_ptr<EnvState> self_;
};

}  // namespace tn
