// Per-environment completion delivery and lifecycle: environment cleanup and process exit stop the streams first.
#include "env_state.h"

#include <atomic>
#include <cstdlib>

#include "../core/backend.h"

namespace tn {

namespace {

std::atomic<int> gLiveEnvs{0};
std::atomic<bool> gExiting{false};
std::once_flag gAtExitOnce;

// process.exit() and uncaught exceptions skip environment cleanup and go straight to exit(): stop the streams here,
// before static destructors and library destructors (OpenBLAS's thread shutdown) run under a busy stream.
void onProcessExit() {
  gExiting.store(true);
  shutdownBackends();
}

// The heap copy of what the callbacks capture, deleted on the JS thread (or when the function is torn down).
using Completion = std::function<void(napi_env)>;

}  // namespace

std::shared_ptr<EnvState> EnvState::create(napi_env env) {
  std::call_once(gAtExitOnce, [] { std::atexit(onProcessExit); });
  auto state = std::make_shared<EnvState>();
  state->self_ = state;
  napi_value name;
  napi_create_string_utf8(env, "tensornode.stream", NAPI_AUTO_LENGTH, &name);
  // The context is a heap shared_ptr, deleted by the finalizer: callJs may outlive AddonData.
  auto* context = new std::shared_ptr<EnvState>(state);
  napi_status s = napi_create_threadsafe_function(
      env, nullptr, nullptr, name, 0, 1, context,
      [](napi_env, void* finalizeData, void*) { delete static_cast<std::shared_ptr<EnvState>*>(finalizeData); },
      context, callJs, &state->tsfn_);
  if (s != napi_ok) {
    delete context;
    state->tsfn_ = nullptr;
  } else {
    napi_unref_threadsafe_function(env, state->tsfn_);  // only expected completions keep the loop alive
  }
  // Added after the thread-safe function: cleanup hooks run in reverse order, so this one runs before node closes it.
  napi_add_env_cleanup_hook(env, cleanup, new std::shared_ptr<EnvState>(state));
  gLiveEnvs.fetch_add(1);
  return state;
}

void EnvState::expect(napi_env env) {
  if (expected_++ == 0 && tsfn_) napi_ref_threadsafe_function(env, tsfn_);
}

void EnvState::post(std::function<void(napi_env)> fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!alive_ || !tsfn_ || gExiting.load()) return;
  auto* item = new Completion(std::move(fn));
  if (napi_call_threadsafe_function(tsfn_, item, napi_tsfn_nonblocking) != napi_ok) delete item;
}

void EnvState::callJs(napi_env env, napi_value, void* context, void* data) {
  std::unique_ptr<Completion> item(static_cast<Completion*>(data));
  if (env == nullptr || context == nullptr) return;  // the function is being torn down: drop the completion
  EnvState& self = **static_cast<std::shared_ptr<EnvState>*>(context);
  try {
    (*item)(env);
  } catch (...) {
    // Nothing may escape into node (the environment may be terminating); the completion is dropped.
  }
  if (--self.expected_ == 0 && self.tsfn_) napi_unref_threadsafe_function(env, self.tsfn_);
}

void EnvState::cleanup(void* arg) {
  std::unique_ptr<std::shared_ptr<EnvState>> holder(static_cast<std::shared_ptr<EnvState>*>(arg));
  std::shared_ptr<EnvState> state = *holder;
  {
    std::lock_guard<std::mutex> lock(state->mutex_);
    state->alive_ = false;  // from here on no stream thread calls into this environment
  }
  state->owner_->cancel();
  for (Backend* b : liveBackends()) b->cancel(state->owner_.get());
  if (state->tsfn_) napi_release_threadsafe_function(state->tsfn_, napi_tsfn_abort);
  // The last environment: stop the streams and join their threads before the addon (and OpenBLAS) can unload.
  if (gLiveEnvs.fetch_sub(1) == 1) shutdownBackends();
}

}  // namespace tn
