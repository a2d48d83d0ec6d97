#include "webhook/server/connection_tracker.h"

#include <vector>

namespace jk::server {

ConnectionTracker::ConnectionTracker(std::uint32_t max_connections, TrackerMetrics metrics)
    : max_(max_connections), metrics_(metrics) {}

std::optional<ConnectionTracker::Ticket> ConnectionTracker::try_admit() {
  std::shared_ptr<Drainable> victim;
  std::optional<Ticket> ticket;
  {
    std::lock_guard lock(mu_);
    if (closing_) return std::nullopt;
    if (sessions_.size() - reclaiming_ >= max_) {
      victim = pick_reclaim();
      if (!victim) {
        metrics_.rejected.inc();
        return std::nullopt;
      }
      metrics_.reclaimed.inc();
    }
    const std::uint64_t id = next_id_++;
    sessions_.emplace(id, Entry{});
    metrics_.active.set(static_cast<double>(sessions_.size()));
    ticket.emplace(*this, id);
  }
  if (victim) victim->close_when_idle(true);  // outside the lock: it may hop to another strand
  return ticket;
}

std::shared_ptr<Drainable> ConnectionTracker::pick_reclaim() {
  while (!idle_.empty()) {
    const auto [since, id] = *idle_.begin();
    idle_.erase(idle_.begin());
    auto it = sessions_.find(id);
    if (it == sessions_.end()) continue;
    it->second.idle_since = 0;
    auto session = it->second.session.lock();
    if (!session) continue;  // being destroyed: it leaves the count by itself
    it->second.reclaimed = true;
    ++reclaiming_;
    metrics_.idle.set(static_cast<double>(idle_.size()));
    return session;
  }
  return nullptr;
}

void ConnectionTracker::attach(std::uint64_t id, std::weak_ptr<Drainable> session) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it != sessions_.end()) it->second.session = std::move(session);
}

void ConnectionTracker::set_idle(std::uint64_t id, bool idle) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second.reclaimed) return;
  Entry& entry = it->second;
  if (idle == (entry.idle_since != 0)) return;
  if (idle) {
    entry.idle_since = ++idle_clock_;
    if (entry.spare) {
      entry.spare.value() = {entry.idle_since, id};
      idle_.insert(std::move(entry.spare));
    } else {
      idle_.emplace(entry.idle_since, id);
    }
  } else {
    entry.spare = idle_.extract({entry.idle_since, id});
    entry.idle_since = 0;
  }
  metrics_.idle.set(static_cast<double>(idle_.size()));
}

void ConnectionTracker::remove(std::uint64_t id) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    if (it->second.idle_since != 0) idle_.erase({it->second.idle_since, id});
    if (it->second.reclaimed) --reclaiming_;
    sessions_.erase(it);
    metrics_.active.set(static_cast<double>(sessions_.size()));
    metrics_.idle.set(static_cast<double>(idle_.size()));
    if (closing_ && sessions_.empty()) notify = std::move(on_empty_);
  }
  if (notify) notify();
}

void ConnectionTracker::close_idle(std::function<void()> on_empty) {
  std::vector<std::shared_ptr<Drainable>> live;
  std::function<void()> notify;
  {
    std::lock_guard lock(mu_);
    draining_.store(true);
    closing_ = true;
    for (const auto& [id, entry] : sessions_) {
      if (auto session = entry.session.lock()) live.push_back(std::move(session));
    }
    if (sessions_.empty()) {
      notify = std::move(on_empty);
    } else {
      on_empty_ = std::move(on_empty);
    }
  }
  for (const auto& session : live) session->close_when_idle(false);
  if (notify) notify();
}

std::size_t ConnectionTracker::count() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::size_t ConnectionTracker::idle_count() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

void ConnectionTracker::detach_callback() {
  std::lock_guard lock(mu_);
  on_empty_ = nullptr;
}

}  // namespace jk::server
