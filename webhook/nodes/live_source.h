#pragma once
// The live node inventory: list+watch of /api/v1/nodes from the Kubernetes API, published as
// immutable NodeIndex snapshots. snapshot() never blocks on I/O; until the first complete list,
// ready() is false and snapshot() is an empty index. The last good view survives API outages.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/http_client.h"
#include "webhook/kube/reflector.h"
#include "webhook/nodes/inventory.h"

namespace jk::nodes {

struct LiveNodeOptions {
  kube::HttpClientOptions http;
  kube::ReflectorOptions reflector{.path = "/api/v1/nodes"};
  kube::ReflectorHooks hooks;  // metrics (restarts, relists, sync); errors are also kept here
};

class LiveNodeSource final : public NodeSource {
 public:
  // Creates the client (TLS setup errors surface here) and starts watching.
  static Result<std::unique_ptr<LiveNodeSource>> start(kube::ClientConfig config,
                                                       LiveNodeOptions options = {});
  ~LiveNodeSource() override;
  LiveNodeSource(const LiveNodeSource&) = delete;
  LiveNodeSource& operator=(const LiveNodeSource&) = delete;

  [[nodiscard]] std::shared_ptr<const policy::NodeIndex> snapshot() const override;
  [[nodiscard]] bool ready() const override { return ready_; }
  [[nodiscard]] std::string describe() const override;
  // The most recent list/watch error ("" after the next successful list).
  [[nodiscard]] std::string last_error() const;

 private:
  LiveNodeSource(std::unique_ptr<kube::HttpClient> client, LiveNodeOptions options);
  void publish(std::vector<policy::Node> nodes);
  kube::ReflectorHooks wrap_hooks(kube::ReflectorHooks hooks);

  std::unique_ptr<kube::HttpClient> client_;
  std::string server_;
  mutable std::mutex mutex_;
  std::shared_ptr<const policy::NodeIndex> index_;
  std::string last_error_;
  std::atomic<bool> ready_{false};
  std::unique_ptr<kube::ReflectorSink> store_;
  std::unique_ptr<kube::Reflector> reflector_;  // last: stops first
};

}  // namespace jk::nodes
