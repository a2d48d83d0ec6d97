#pragma once
// Counts open connections against max_connections and reaches every live session when a
// graceful shutdown starts. Thread-safe.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "common/metrics.h"

namespace jk::server {

// A session that can be asked to finish its request in flight and close.
class Drainable {
 public:
  virtual ~Drainable() = default;
  virtual void drain() = 0;
};

class ConnectionTracker {
 public:
  ConnectionTracker(std::uint32_t max_connections, metrics::Gauge& active);

  // Removes its connection from the count when destroyed.
  class Ticket {
   public:
    Ticket(ConnectionTracker& tracker, std::uint64_t id) : tracker_(&tracker), id_(id) {}
    Ticket(Ticket&& other) noexcept : tracker_(other.tracker_), id_(other.id_) {
      other.tracker_ = nullptr;
    }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (tracker_ != nullptr) tracker_->remove(id_);
    }
    // Lets drain_all() reach the session.
    void attach(std::weak_ptr<Drainable> session) { tracker_->attach(id_, std::move(session)); }

   private:
    ConnectionTracker* tracker_;
    std::uint64_t id_;
  };

  // A ticket, or nothing when the limit is reached or draining started.
  std::optional<Ticket> try_admit();
  // Marks draining and asks every attached session to drain. `on_empty` runs (once, on any
  // thread) as soon as no connection is left, possibly right away.
  void drain_all(std::function<void()> on_empty);
  [[nodiscard]] bool draining() const { return draining_.load(); }
  [[nodiscard]] std::size_t count() const;
  // Forgets on_empty; called before the owner is destroyed.
  void detach_callback();

 private:
  void attach(std::uint64_t id, std::weak_ptr<Drainable> session);
  void remove(std::uint64_t id);

  const std::uint32_t max_;
  metrics::Gauge& active_;
  mutable std::mutex mu_;
  std::map<std::uint64_t, std::weak_ptr<Drainable>> sessions_;
  std::uint64_t next_id_ = 0;
  std::atomic<bool> draining_{false};
  std::function<void()> on_empty_;
};

}  // namespace jk::server
