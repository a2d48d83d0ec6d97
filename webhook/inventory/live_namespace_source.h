#pragma once
// The live Namespace view: list+watch of /api/v1/namespaces, keeping name + labels, published
// as immutable policy::NamespaceIndex snapshots after every change (namespaces are few and change
// rarely). Not ready until the first complete list; the last good view survives API outages.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/inventory/api_watch.h"
#include "webhook/inventory/namespace_source.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/http_client.h"
#include "webhook/kube/reflector.h"

namespace jk::inventory {

struct LiveNamespaceOptions {
  kube::HttpClientOptions http;
  kube::ReflectorOptions reflector{.path = "/api/v1/namespaces"};
  kube::ReflectorHooks hooks;
  std::function<void(std::size_t)> on_published;  // inventory size after each change
};

class LiveNamespaceSource final : public NamespaceSource {
 public:
  static Result<std::unique_ptr<LiveNamespaceSource>> start(kube::ClientConfig config,
                                                            LiveNamespaceOptions options = {});
  LiveNamespaceSource(const LiveNamespaceSource&) = delete;
  LiveNamespaceSource& operator=(const LiveNamespaceSource&) = delete;
  ~LiveNamespaceSource() override = default;

  [[nodiscard]] std::shared_ptr<const policy::NamespaceIndex> snapshot() const override;
  [[nodiscard]] bool ready() const override { return watch_->ready(); }
  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] std::string last_error() const { return watch_->last_error(); }

 private:
  explicit LiveNamespaceSource(std::function<void(std::size_t)> on_published);
  void publish(std::vector<policy::Namespace> namespaces);

  std::function<void(std::size_t)> on_published_;
  mutable std::mutex mutex_;
  std::shared_ptr<const policy::NamespaceIndex> index_;
  std::unique_ptr<kube::ReflectorSink> store_;
  std::unique_ptr<ApiWatch> watch_;  // last: stops first
};

}  // namespace jk::inventory
