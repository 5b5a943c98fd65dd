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

}  // namespace

CompletionPort* CompletionPort::create(napi_env env, const char* name) {
  auto* port = new CompletionPort();
  napi_value resource = nullptr;
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource);
  if (napi_create_threadsafe_function(env, nullptr, nullptr, resource, 0, 1, nullptr, nullptr, nullptr, callJs,
                                      &port->tsfn_) != napi_ok) {
    delete port;
    return nullptr;
  }
  return port;
}

void CompletionPort::deliver(const std::shared_ptr<EnvState>& state, Completion fn) {
  std::unique_ptr<CompletionPort> self(this);
  std::lock_guard<std::mutex> lock(state->mutex_);
  // A dead environment's functions are node's to close; touching them from here could race their deletion.
  if (!state->alive_ || gExiting.load()) return;
  auto* item = new Completion(std::move(fn));
  if (napi_call_threadsafe_function(tsfn_, item, napi_tsfn_nonblocking) != napi_ok) delete item;
  napi_release_threadsafe_function(tsfn_, napi_tsfn_release);
}

void CompletionPort::callJs(napi_env env, napi_value, void*, void* data) {
  std::unique_ptr<Completion> item(static_cast<Completion*>(data));
  if (env == nullptr) return;  // the function is being torn down: drop the completion
  try {
    (*item)(env);
  } catch (...) {
    // Nothing may escape into node (the environment may be terminating); the completion is dropped.
  }
}

std::shared_ptr<EnvState> EnvState::create(napi_env env) {
  std::call_once(gAtExitOnce, [] { std::atexit(onProcessExit); });
  auto state = std::make_shared<EnvState>();
  napi_add_env_cleanup_hook(env, cleanup, new std::shared_ptr<EnvState>(state));
  gLiveEnvs.fetch_add(1);
  return state;
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
  // The last environment: stop the streams and join their threads before the addon (and OpenBLAS) can unload.
  if (gLiveEnvs.fetch_sub(1) == 1) shutdownBackends();
}

}  // namespace tn
