#pragma once
// The continuous audit in the server: keeps every pod's verdict current as pod watch events
// arrive and as the node and namespace inventory changes, moves the jailkeeper_pods gauges,
// records an Event on a pod that turns DRIFT, TAMPERED or UNPATCHED, and answers GET /audit
// with what `audit -o json` prints.
//
// PodAudit is the core (a ReflectorSink; inventory read through the NodeSource and
// NamespaceSource snapshots; Events to an EventSink): thread-safe, no I/O of its own.
// LivePodAudit adds the I/O: the pod list+watch, the Event sender and a thread that notices
// inventory changes (a snapshot pointer compare every refresh_interval).
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "webhook/inventory/api_watch.h"
#include "webhook/inventory/inventory.h"
#include "webhook/kube/reflector.h"
#include "webhook/podaudit/event_recorder.h"
#include "webhook/podaudit/pod_metrics.h"
#include "webhook/podaudit/verdict_table.h"
#include "webhook/server/http.h"

namespace jk::podaudit {

class PodAudit final : public kube::ReflectorSink {
 public:
  PodAudit(std::shared_ptr<const inventory::NodeSource> nodes,
           std::shared_ptr<const inventory::NamespaceSource> namespaces, TableSettings settings,
           PodMetrics& metrics, EventSink& events, std::string instance);

  void replace(const std::vector<nlohmann::json>& items) override;
  void apply(kube::EventType type, const nlohmann::json& object) override;
  // Re-judges what an inventory change affects; cheap when nothing changed.
  void refresh();

  // The `audit -o json` document for these pods.
  [[nodiscard]] std::string report_json(const RowFilter& filter) const;
  [[nodiscard]] std::size_t size() const;
  // Both inventory sources completed their first list (until then nothing is judged).
  [[nodiscard]] bool inventory_ready() const;

 private:
  [[nodiscard]] Inputs inputs() const;
  void publish(const std::vector<Transition>& transitions);

  std::shared_ptr<const inventory::NodeSource> nodes_;
  std::shared_ptr<const inventory::NamespaceSource> namespaces_;
  PodMetrics& metrics_;
  EventSink& events_;
  std::string instance_;
  mutable std::mutex mutex_;
  VerdictTable table_;
};

// GET /audit[?namespace=NS|?all=true] on the metrics listener; 503 until the first pod list.
server::HttpResponse audit_endpoint(const PodAudit& audit, bool synced,
                                    const server::HttpRequest& request);

struct LivePodAuditOptions {
  kube::HttpClientOptions http;
  kube::ReflectorOptions reflector{.path = "/api/v1/pods"};
  kube::ReflectorHooks hooks;
  TableSettings table;
  EventOptions events;
  std::chrono::milliseconds refresh_interval{250};
  std::string instance;  // Events' reportingInstance (the pod name)
};

class LivePodAudit {
 public:
  static Result<std::unique_ptr<LivePodAudit>> start(
      const kube::ClientConfig& config, std::shared_ptr<const inventory::NodeSource> nodes,
      std::shared_ptr<const inventory::NamespaceSource> namespaces, LivePodAuditOptions options,
      metrics::Registry& registry);
  ~LivePodAudit();
  LivePodAudit(const LivePodAudit&) = delete;
  LivePodAudit& operator=(const LivePodAudit&) = delete;

  [[nodiscard]] bool ready() const { return watch_->ready(); }
  [[nodiscard]] server::HttpResponse handle(const server::HttpRequest& request) const;

 private:
  LivePodAudit() = default;

  std::unique_ptr<PodMetrics> metrics_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<PodAudit> audit_;
  std::jthread refresher_;
  std::unique_ptr<inventory::ApiWatch> watch_;  // last: stops first
};

}  // namespace jk::podaudit
