#include "webhook/server/connection_tracker.h"

#include <vector>

namespace jk::server {

ConnectionTracker::ConnectionTracker(std::uint32_t max_connections, metrics::Gauge& active)
    : max_(max_connections), active_(active) {}

std::optional<ConnectionTracker::Ticket> ConnectionTracker::try_admit() {
  std::lock_guard lock(mu_);
  if (draining_.load() || sessions_.size() >= max_) return std::nullopt;
  const std::uint64_t id = next_id_++;
  sessions_.emplace(id, std::weak_ptr<Drainable>{});
  active_.set(static_cast<double>(sessions_.size()));
  return Ticket(*this, id);
}

void ConnectionTracker::attach(std::uint64_t id, std::weak_ptr<Drainable> session) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it != sessions_.end()) it->second = std::move(session);
}

void ConnectionTracker::remove(std::uint64_t id) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mu_);
    sessions_.erase(id);
    active_.set(static_cast<double>(sessions_.size()));
    if (draining_.load() && sessions_.empty()) notify = on_empty_;
  }
  if (notify) notify();
}

void ConnectionTracker::drain_all(std::function<void()> on_empty) {
  std::vector<std::shared_ptr<Drainable>> live;
  bool empty = false;
  {
    std::lock_guard lock(mu_);
    draining_.store(true);
    on_empty_ = on_empty;
    for (const auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    empty = sessions_.empty();
  }
  for (const auto& session : live) session->drain();
  if (empty && on_empty) on_empty();
}

std::size_t ConnectionTracker::count() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

void ConnectionTracker::detach_callback() {
  std::lock_guard lock(mu_);
  on_empty_ = nullptr;
}

}  // namespace jk::server
