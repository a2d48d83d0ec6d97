#pragma once
// The ReflectorSink behind the live node inventory. It keeps the decoded nodes by name and
// publishes a full vector (from which the owner builds the next immutable NodeIndex):
//  - at once after a complete list, so that "synced" implies "published";
//  - for watch events, in batches: apply() only updates the map (O(log n)); a publisher thread
//    publishes at most once per `batch_interval` (or 10x the last publish's duration, when
//    longer), however many events arrived. Rebuilding the index is linear in the cluster size
//    (~0.1 s at 10,000 nodes), so doing it per event capped a 10,000-node cluster at ~10
//    events/s (see bench/README.md, "Inventory").
//  - MODIFIED events that change nothing the decision reads (heartbeats, conditions, images)
//    are dropped before they mark the store dirty.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "webhook/kube/reflector.h"
#include "webhook/policy/node.h"

namespace jk::inventory {

class NodeStore final : public kube::ReflectorSink {
 public:
  using Publish = std::function<void(std::vector<policy::Node>)>;
  NodeStore(Publish publish, std::chrono::milliseconds batch_interval);
  ~NodeStore() override;  // stops the publisher thread
  NodeStore(const NodeStore&) = delete;
  NodeStore& operator=(const NodeStore&) = delete;

  void replace(const std::vector<nlohmann::json>& items) override;
  void apply(kube::EventType type, const nlohmann::json& object) override;

  void start_publisher();  // publishes batched watch events from its own thread
  bool flush();            // publishes now if anything changed since the last publish
  [[nodiscard]] std::size_t size() const;

 private:
  void run(const std::stop_token& stop);
  bool upsert(const nlohmann::json& object);  // true when the stored node changed
  bool erase(const nlohmann::json& object);

  Publish publish_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;  // nodes_, dirty_
  std::condition_variable_any changed_;
  std::map<std::string, policy::Node, std::less<>> nodes_;
  bool dirty_ = false;
  std::mutex publish_mutex_;  // one publish at a time, in the order the views were taken
  std::jthread publisher_;    // last: joins first
};

}  // namespace jk::inventory
