#include "webhook/inventory/sync_status.h"

namespace jk::inventory {

std::string SyncStatus::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

kube::ReflectorHooks SyncStatus::wrap(kube::ReflectorHooks hooks) {
  auto on_synced = std::move(hooks.on_synced);
  hooks.on_synced = [this, on_synced] {
    {
      std::lock_guard lock(mutex_);
      last_error_.clear();
    }
    ready_ = true;
    if (on_synced) on_synced();
  };
  auto on_error = std::move(hooks.on_error);
  hooks.on_error = [this, on_error](const Error& error) {
    {
      std::lock_guard lock(mutex_);
      last_error_ = error.message;
    }
    if (on_error) on_error(error);
  };
  return hooks;
}

}  // namespace jk::inventory
