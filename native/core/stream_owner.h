// StreamOwner: who queued work on a stream (one per JS environment), so kernel errors never cross environments.
#pragma once
#include <atomic>
#include <mutex>

#include "status.h"

namespace tn {

// Holds the first kernel error raised by this owner's work since its last synchronize(), and whether the owner is
// gone (its environment was torn down): a stream drops the queued work of a cancelled owner.
class StreamOwner {
 public:
  void record(const Status& s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (firstError_.isOk()) (void)(firstError_ = s);
  }
  // Returns and clears the first error recorded since the last take().
  Status take() {
    std::lock_guard<std::mutex> lock(mutex_);
    Status s = firstError_;
    (void)(firstError_ = Status());
    return s;
  }
  // A read has just reported `s` to JS: synchronize() does not report the same error again.
  void observed(const Status& s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!firstError_.isOk() && firstError_.kind() == s.kind() && firstError_.message() == s.message())
      (void)(firstError_ = Status());
  }
  void cancel() { cancelled_.store(true, std::memory_order_release); }
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

 private:
  std::mutex mutex_;
  Status firstError_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace tn
