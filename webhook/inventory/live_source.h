#pragma once
// The live node inventory: list+watch of /api/v1/nodes from the Kubernetes API, published as
// immutable NodeIndex snapshots. snapshot() never blocks on I/O; until the first complete list,
// ready() is false and snapshot() is an empty index. The last good view survives API outages.
// Watch events are published in batches (NodeStore), at most once per publish_interval.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/inventory/api_watch.h"
#include "webhook/inventory/inventory.h"
#include "webhook/inventory/node_store.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/http_client.h"
#include "webhook/kube/reflector.h"

namespace jk::inventory {

inline constexpr std::chrono::milliseconds kDefaultPublishInterval{200};

struct LiveNodeOptions {
  kube::HttpClientOptions http;
  kube::ReflectorOptions reflector{.path = "/api/v1/nodes"};
  kube::ReflectorHooks hooks;  // metrics (restarts, relists, sync); errors are also kept here
  // Watch events within this interval become one new index (a rebuild is linear in nodes).
  std::chrono::milliseconds publish_interval = kDefaultPublishInterval;
  std::function<void(std::size_t)> on_published;  // inventory size after each publish
};

class LiveNodeSource final : public NodeSource {
 public:
  // Creates the client (TLS setup errors surface here) and starts watching.
  static Result<std::unique_ptr<LiveNodeSource>> start(kube::ClientConfig config,
                                                       LiveNodeOptions options = {});
  ~LiveNodeSource() override = default;
  LiveNodeSource(const LiveNodeSource&) = delete;
  LiveNodeSource& operator=(const LiveNodeSource&) = delete;

  [[nodiscard]] std::shared_ptr<const policy::NodeIndex> snapshot() const override;
  [[nodiscard]] bool ready() const override { return watch_->ready(); }
  [[nodiscard]] std::string describe() const override;
  // The most recent list/watch error ("" after the next successful list).
  [[nodiscard]] std::string last_error() const { return watch_->last_error(); }

 private:
  explicit LiveNodeSource(const LiveNodeOptions& options);
  void publish(std::vector<policy::Node> nodes);

  std::function<void(std::size_t)> on_published_;
  mutable std::mutex mutex_;
  std::shared_ptr<const policy::NodeIndex> index_;
  NodeStore store_;
  std::unique_ptr<ApiWatch> watch_;  // last: stops first
};

}  // namespace jk::inventory
