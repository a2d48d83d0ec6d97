#pragma once
// What a live inventory source reports about its list+watch: ready after the first complete
// list, and the most recent error ("" after the next successful list). Thread-safe.
#include <atomic>
#include <mutex>
#include <string>

#include "webhook/kube/reflector.h"

namespace jk::inventory {

class SyncStatus {
 public:
  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] std::string last_error() const;
  // Hooks that update this status, then call the given ones. This object must outlive them.
  [[nodiscard]] kube::ReflectorHooks wrap(kube::ReflectorHooks hooks);

 private:
  mutable std::mutex mutex_;
  std::string last_error_;
  std::atomic<bool> ready_{false};
};

}  // namespace jk::inventory
