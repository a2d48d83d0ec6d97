// The continuous audit at cluster scale (issue 18): memory per watched pod and the CPU cost of
// 10,000 pods, through the real PodAudit (webhook/podaudit) fed as the pod Reflector feeds it.
// Printed side by side with the one-shot `audit` computation (audit::audit_cluster) over the
// same pods, which is what each `audit` run or a GET /audit does.
//
//   BUILD_DIR/bench/pod_audit_bench [PODS]      (default 10000)
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/log.h"
#include "webhook/audit/cluster.h"
#include "webhook/audit/report.h"
#include "webhook/inventory/node_list.h"
#include "webhook/podaudit/pod_audit.h"

namespace {

using nlohmann::json;
using namespace jk;

constexpr std::size_t kNodes = 200;
constexpr std::size_t kNamespaces = 20;

json load(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

struct Cost {
  double cpu_ms = 0;
  double wall_ms = 0;
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

Cost measure(const std::function<void()>& f) {
  const double cpu = cpu_seconds();
  const auto wall = std::chrono::steady_clock::now();
  f();
  return {
      (cpu_seconds() - cpu) * 1e3,
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall).count()};
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

class FakeNodes final : public inventory::NodeSource {
 public:
  std::shared_ptr<const policy::NodeIndex> index;
  [[nodiscard]] std::shared_ptr<const policy::NodeIndex> snapshot() const override { return index; }
  [[nodiscard]] bool ready() const override { return true; }
  [[nodiscard]] std::string describe() const override { return "bench"; }
};

class CountingEvents final : public podaudit::EventSink {
 public:
  void record(podaudit::PodEvent event) override { bytes += event.body.size(), ++count; }
  std::size_t count = 0;
  std::size_t bytes = 0;
};

std::vector<policy::Node> make_nodes(const json& node_template, const std::string& os_image) {
  std::vector<policy::Node> out;
  for (std::size_t i = 0; i < kNodes; ++i) {
    json n = node_template;
    n["metadata"]["name"] = "ip-10-0-" + std::to_string(i / 250) + "-" + std::to_string(i % 250);
    n["status"]["nodeInfo"]["osImage"] = os_image;
    out.push_back(*inventory::decode_node(n));
  }
  return out;
}

void print(const char* what, const Cost& c, std::size_t n) {
  std::printf("%-52s %9.1f ms CPU %9.1f ms wall %8.2f us CPU/pod\n", what, c.cpu_ms, c.wall_ms,
              c.cpu_ms * 1e3 / static_cast<double>(n));
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t pods = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
  log::set_level(log::Level::kWarn);  // the per-finding info lines are not what is measured
  const std::string fixtures = JK_FIXTURES;
  const json pod_template = load(fixtures + "/golden/amazon-linux-nodegroup/expected-pod.json");
  const json node_template = load(fixtures + "/nodes/al2023.json");
  const auto al = make_nodes(node_template, node_template["status"]["nodeInfo"]["osImage"]);
  const auto br = make_nodes(node_template, "Bottlerocket OS 1.26.2 (aws-k8s-1.31)");

  std::vector<policy::Namespace> namespaces;
  for (std::size_t i = 0; i < kNamespaces; ++i) {
    namespaces.push_back({"agents-" + std::to_string(i), {{"jailkeeper.io/inject", "enabled"}}});
  }
  const std::size_t heap_before_items = heap_in_use();
  std::vector<json> items;
  items.reserve(pods);
  for (std::size_t i = 0; i < pods; ++i) {
    json p = pod_template;
    p["metadata"]["name"] = "agent-" + std::to_string(i);
    p["metadata"]["namespace"] = "agents-" + std::to_string(i % kNamespaces);
    p["metadata"]["uid"] = "00000000-0000-0000-0000-" + std::to_string(100000000000 + i);
    p["spec"]["nodeName"] = al[i % kNodes].name;
    items.push_back(std::move(p));
  }
  const std::size_t items_heap = heap_in_use() - heap_before_items;
  std::printf("pod JSON as watched: %zu bytes (compact), %zu pods on %zu nodes in %zu namespaces\n",
              items[0].dump().size(), pods, kNodes, kNamespaces);
  std::printf(
      "a complete list held as parsed JSON (the Reflector's transient view while it "
      "relists): %.1f MiB, %.0f bytes per pod\n",
      static_cast<double>(items_heap) / (1 << 20),
      static_cast<double>(items_heap) / static_cast<double>(pods));

  auto node_source = std::make_shared<FakeNodes>();
  node_source->index = std::make_shared<const policy::NodeIndex>(al);
  auto ns_source = std::make_shared<inventory::StaticNamespaceSource>(namespaces, "bench");
  metrics::Registry registry;
  podaudit::PodMetrics metrics(registry);
  CountingEvents events;

  const std::size_t heap_before = heap_in_use();
  auto audit = std::make_unique<podaudit::PodAudit>(
      node_source, ns_source, podaudit::TableSettings{}, metrics, events, "bench");
  const Cost list = measure([&] { audit->replace(items); });
  const std::size_t heap_after = heap_in_use();
  print("initial list (decode + judge every pod)", list, pods);
  std::printf("memory kept by the audit: %.1f MiB, %.0f bytes per pod\n",
              static_cast<double>(heap_after - heap_before) / (1 << 20),
              static_cast<double>(heap_after - heap_before) / static_cast<double>(pods));

  const Cost events_cost = measure([&] {
    for (std::size_t i = 0; i < pods; ++i) audit->apply(kube::EventType::kModified, items[i]);
  });
  print("one MODIFIED event per pod (nothing changes)", events_cost, pods);

  const Cost idle = measure([&] {
    for (int i = 0; i < 1000; ++i) audit->refresh();
  });
  std::printf("%-52s %9.3f ms CPU for 1000 calls\n", "refresh, inventory unchanged", idle.cpu_ms);

  node_source->index = std::make_shared<const policy::NodeIndex>(br);
  const Cost drift = measure([&] { audit->refresh(); });
  print("refresh: every node turned Bottlerocket (all DRIFT)", drift, pods);
  std::printf(
      "Events built: %zu (%.0f bytes each)\n", events.count,
      events.count ? static_cast<double>(events.bytes) / static_cast<double>(events.count) : 0.0);

  std::string body;
  const Cost report = measure([&] { body = audit->report_json({}); });
  print("GET /audit (rows + JSON)", report, pods);

  // The one-shot path: what `audit` computes from the same objects.
  audit::Cluster cluster;
  for (const auto& n : br) cluster.nodes.emplace(n.name, n);
  for (const auto& ns : namespaces) cluster.namespaces.emplace(ns.name, true);
  const Cost oneshot = measure([&] {
    cluster.pods.clear();
    for (const auto& item : items) cluster.pods.push_back(audit::decode_pod(item));
    body = audit::format_json(audit::audit_cluster(cluster));
  });
  print("one-shot audit over the same pods (decode+judge+JSON)", oneshot, pods);
  std::printf("ratio: initial list / one-shot audit = %.2f\n", list.cpu_ms / oneshot.cpu_ms);
  return 0;
}
