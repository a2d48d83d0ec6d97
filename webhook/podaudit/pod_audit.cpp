#include "webhook/podaudit/pod_audit.h"

#include <condition_variable>

#include "common/log.h"
#include "webhook/audit/report.h"
#include "webhook/kube/api_status.h"

namespace jk::podaudit {
namespace {

constexpr int kOk = 200;
constexpr int kBadRequest = 400;
constexpr int kUnavailable = 503;
constexpr const char* kTextPlain = "text/plain; charset=utf-8";

WatchedPod watched(const nlohmann::json& object) {
  return {kube::string_at(object, "metadata", "uid"), audit::decode_pod(object)};
}

// The value of `key` in a query string ("" when absent).
std::string query_value(std::string_view target, std::string_view key) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? "true" : std::string(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return "";
}

}  // namespace

PodAudit::PodAudit(std::shared_ptr<const inventory::NodeSource> nodes,
                   std::shared_ptr<const inventory::NamespaceSource> namespaces,
                   TableSettings settings, PodMetrics& metrics, EventSink& events,
                   std::string instance)
    : nodes_(std::move(nodes)),
      namespaces_(std::move(namespaces)),
      metrics_(metrics),
      events_(events),
      instance_(std::move(instance)),
      table_(std::move(settings)) {}

bool PodAudit::inventory_ready() const {
  return (!nodes_ || nodes_->ready()) && (!namespaces_ || namespaces_->ready());
}

// Before the inventory's first complete lists nothing is judged (no namespace counts as opted
// in): a pod judged against a missing node would show node OS "?" and flip a moment later.
Inputs PodAudit::inputs() const {
  if (!inventory_ready()) return {};
  return {nodes_ ? nodes_->snapshot() : nullptr, namespaces_ ? namespaces_->snapshot() : nullptr};
}

void PodAudit::publish(const std::vector<Transition>& transitions) {
  const auto now = std::chrono::system_clock::now();
  for (const auto& t : transitions) {
    metrics_.apply(t);
    if (!t.after) continue;
    if (auto event = pod_event(t.uid, t.before, *t.after, instance_, now)) {
      log::info("pod audit finding",
                {{"namespace", t.after->namespace_name},
                 {"pod", t.after->pod},
                 {"verdict", std::string(audit::verdict_name(t.after->verdict))},
                 {"reason", t.after->reason}});
      events_.record(std::move(*event));
    }
  }
}

void PodAudit::replace(const std::vector<nlohmann::json>& items) {
  std::vector<WatchedPod> pods;
  pods.reserve(items.size());
  for (const auto& item : items) pods.push_back(watched(item));
  std::lock_guard lock(mutex_);
  publish(table_.replace(std::move(pods), inputs()));
  log::info("pod audit synced",
            {{"pods", std::to_string(table_.size())}, {"judged", std::to_string(table_.judged())}});
}

void PodAudit::apply(kube::EventType type, const nlohmann::json& object) {
  std::lock_guard lock(mutex_);
  if (type == kube::EventType::kDeleted) {
    publish(table_.erase(kube::string_at(object, "metadata", "namespace"),
                         kube::string_at(object, "metadata", "name")));
    return;
  }
  publish(table_.upsert(watched(object), inputs()));
}

void PodAudit::refresh() {
  const Inputs now = inputs();
  std::lock_guard lock(mutex_);
  publish(table_.rejudge(now));
}

std::string PodAudit::report_json(const RowFilter& filter) const {
  std::lock_guard lock(mutex_);
  return audit::format_json(table_.rows(filter));
}

std::size_t PodAudit::size() const {
  std::lock_guard lock(mutex_);
  return table_.size();
}

server::HttpResponse audit_endpoint(const PodAudit& audit, bool synced,
                                    const server::HttpRequest& request) {
  if (request.method != "GET") return {kBadRequest, kTextPlain, "GET /audit only\n"};
  if (!synced) return {kUnavailable, kTextPlain, "pod audit: the first pod list is not in yet\n"};
  RowFilter filter;
  filter.namespace_name = query_value(request.target, "namespace");
  const std::string all = query_value(request.target, "all");
  filter.all_namespaces = all == "true" || all == "1";
  if (filter.all_namespaces && !filter.namespace_name.empty()) {
    return {kBadRequest, kTextPlain, "namespace= and all= exclude each other\n"};
  }
  return {kOk, "application/json", audit.report_json(filter)};
}

Result<std::unique_ptr<LivePodAudit>> LivePodAudit::start(
    const kube::ClientConfig& config, std::shared_ptr<const inventory::NodeSource> nodes,
    std::shared_ptr<const inventory::NamespaceSource> namespaces, LivePodAuditOptions options,
    metrics::Registry& registry) {
  std::unique_ptr<LivePodAudit> live(new LivePodAudit());
  live->metrics_ = std::make_unique<PodMetrics>(registry);
  auto event_client = kube::HttpClient::create(config, options.http);
  if (!event_client.ok()) return event_client.error().wrap("pod audit events");
  live->events_ = std::make_unique<EventRecorder>(std::move(event_client).value(), options.events,
                                                  *live->metrics_);
  live->audit_ =
      std::make_unique<PodAudit>(std::move(nodes), std::move(namespaces), std::move(options.table),
                                 *live->metrics_, *live->events_, std::move(options.instance));
  live->refresher_ = std::jthread([audit = live->audit_.get(), interval = options.refresh_interval](
                                      const std::stop_token& stop) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    while (!cv.wait_for(lock, stop, interval, [] { return false; }) && !stop.stop_requested()) {
      audit->refresh();
    }
  });
  auto watch = inventory::ApiWatch::start(config, options.http, *live->audit_,
                                          std::move(options.reflector), std::move(options.hooks));
  if (!watch.ok()) return watch.error().wrap("pod audit");
  live->watch_ = std::move(watch).value();
  return live;
}

LivePodAudit::~LivePodAudit() {
  watch_.reset();  // no more pod events
  refresher_.request_stop();
  if (refresher_.joinable()) refresher_.join();
}

server::HttpResponse LivePodAudit::handle(const server::HttpRequest& request) const {
  audit_->refresh();  // an inventory change not yet picked up by the poll counts too
  return audit_endpoint(*audit_, ready() && audit_->inventory_ready(), request);
}

}  // namespace jk::podaudit
