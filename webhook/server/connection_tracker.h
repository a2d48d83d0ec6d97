#pragma once
// The connection budget of one listener (each listener has its own, so a flood on the webhook
// port never costs /metrics a connection): counts open connections against max_connections,
// knows which ones are idle — waiting for a request with nothing received, the oldest first —
// and reaches every live session for a graceful shutdown. Thread-safe.
//
// At the limit, a new connection does not find the door shut: the connection that has waited
// longest for a request (an idle keep-alive connection, or one that has not sent a byte since it
// was accepted) is closed to make room. Only when every connection is busy is the new one refused.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "common/metrics.h"

namespace jk::server {

// What the tracker asks of a session; called from any thread, the session hops to its strand.
class Drainable {
 public:
  virtual ~Drainable() = default;
  // Close now if idle (nothing of a request received); otherwise answer the request in flight
  // with Connection: close and close then. `fresh_too`: also a connection that has not had a
  // request yet (reclaiming under a flood); false for a shutdown, where a client that connected
  // just before the listener closed still gets its one request answered.
  virtual void close_when_idle(bool fresh_too) = 0;
};

struct TrackerMetrics {
  metrics::Gauge& active;
  metrics::Gauge& idle;         // waiting for a request with nothing received
  metrics::Counter& rejected;   // refused at accept: every connection busy
  metrics::Counter& reclaimed;  // idle connections closed to admit a new one
};

class ConnectionTracker {
 public:
  ConnectionTracker(std::uint32_t max_connections, TrackerMetrics metrics);

  // One connection's place in the count; removes it when destroyed.
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
    // Lets the tracker reach the session (reclaim, shutdown).
    void attach(std::weak_ptr<Drainable> session) { tracker_->attach(id_, std::move(session)); }
    // The session waits for a request and has received nothing of it (true), or is busy.
    void set_idle(bool idle) { tracker_->set_idle(id_, idle); }

   private:
    ConnectionTracker* tracker_;
    std::uint64_t id_;
  };

  // A ticket; at the limit, the longest-idle connection is asked to close to make room. Nothing
  // when every connection is busy, or once the listener closed (close_idle).
  std::optional<Ticket> try_admit();
  // Shutdown, phase 1: answers carry Connection: close (sessions read draining()).
  void start_draining() { draining_.store(true); }
  [[nodiscard]] bool draining() const { return draining_.load(); }
  // Shutdown, phase 2 (the listener is closed): idle sessions close now, busy ones after their
  // request. `on_empty` runs (once, on any thread) as soon as no connection is left, possibly
  // right away.
  void close_idle(std::function<void()> on_empty);
  [[nodiscard]] std::size_t count() const;
  [[nodiscard]] std::size_t idle_count() const;
  // Forgets on_empty; called before the owner is destroyed.
  void detach_callback();

 private:
  using IdleSet = std::set<std::pair<std::uint64_t, std::uint64_t>>;  // (idle_since, id)

  struct Entry {
    std::weak_ptr<Drainable> session;
    std::uint64_t idle_since = 0;  // position in idle_; 0: busy
    bool reclaimed = false;
    // The session's node of idle_ while it is busy, so that going idle after every request
    // allocates nothing (issue 17).
    IdleSet::node_type spare;
  };

  void attach(std::uint64_t id, std::weak_ptr<Drainable> session);
  void set_idle(std::uint64_t id, bool idle);
  void remove(std::uint64_t id);
  // Under mu_: takes the longest-idle session out of the idle set; null when none.
  std::shared_ptr<Drainable> pick_reclaim();

  const std::uint32_t max_;
  TrackerMetrics metrics_;
  mutable std::mutex mu_;
  std::map<std::uint64_t, Entry> sessions_;
  IdleSet idle_;                // oldest first
  std::size_t reclaiming_ = 0;  // reclaimed sessions still open (they leave soon)
  std::uint64_t next_id_ = 0;
  std::uint64_t idle_clock_ = 0;
  std::atomic<bool> draining_{false};
  bool closing_ = false;
  std::function<void()> on_empty_;
};

}  // namespace jk::server
