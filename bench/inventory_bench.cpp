// The node inventory at cluster scale (bench/README.md, "Inventory"): decision time with 10,
// 1,000 and 10,000 nodes; memory per node; and watch events per second at 10,000 nodes with
// the old per-event index rebuild versus the batched NodeStore.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bench/inventory_cluster.h"
#include "common/log.h"
#include "webhook/inject/mutate.h"
#include "webhook/inventory/inventory.h"
#include "webhook/inventory/node_list.h"
#include "webhook/inventory/node_store.h"
#include "webhook/kube/object_store.h"
#include "webhook/policy/decide.h"
#include "webhook/policy/predict.h"
#include "webhook/review/pod_decoder.h"

namespace {

using jk::policy::Node;
using nlohmann::json;

constexpr std::size_t kChangedNodes = 64;  // distinct nodes the event stream touches
constexpr std::chrono::milliseconds kBatchInterval{200};

[[noreturn]] void die(const std::string& why) {
  std::cerr << "inventory_bench: " << why << "\n";
  std::exit(1);
}

std::vector<Node> decoded(const std::vector<json>& objects) {
  std::vector<Node> nodes;
  nodes.reserve(objects.size());
  for (const auto& o : objects) {
    auto n = jk::inventory::decode_node(o);
    if (!n.ok()) die(n.error().message);
    nodes.push_back(std::move(n).value());
  }
  return nodes;
}

std::size_t heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

std::size_t count(const benchmark::State& state) {
  return static_cast<std::size_t>(state.range(0));
}

// predict + decide on the indexed inventory: the decision proper.
void Predict(benchmark::State& state) {
  const jk::policy::NodeIndex index(decoded(jk::bench::synthetic_nodes(count(state))));
  auto pod = jk::review::decode_pod_json(jk::bench::agent_pod().dump());
  if (!pod.ok()) die(pod.error().message);
  const auto* facts = &pod->facts;
  if (!pod->shapes.ok()) die(pod->shapes.error().message);
  const jk::policy::DecisionInput input{*pod->shapes, std::nullopt};
  const jk::policy::PolicyConfig config;
  for (auto _ : state) {
    const auto p = jk::policy::predict(facts->scheduling, index, config);
    auto d = jk::policy::decide(p, config, input);
    if (p.candidates != jk::bench::kAgentPoolNodes) die("unexpected candidates");
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(Predict)->Arg(10)->Arg(1000)->Arg(10000);

// The whole mutation (decoding the pod's text, prediction, decision, patch) on the agent pod.
void Mutate(benchmark::State& state) {
  const jk::inject::Snapshot snapshot{std::make_shared<const jk::policy::PolicyConfig>(),
                                      std::make_shared<const jk::policy::NodeIndex>(
                                          decoded(jk::bench::synthetic_nodes(count(state)))),
                                      nullptr};
  const std::string pod = jk::bench::agent_pod().dump();
  for (auto _ : state) {
    auto r = jk::inject::mutate(jk::review::decode_pod_json(pod), snapshot,
                                jk::inject::MutationOptions{"agents", std::nullopt});
    if (r.outcome != jk::inject::Outcome::kPatched) die("not patched");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(Mutate)->Arg(10)->Arg(1000)->Arg(10000);

// Heap held per node: the decoded nodes + their NodeIndex (the published snapshot), and the
// NodeStore's own map (live mode holds both). mallinfo2 before/after, JSON freed first.
void MemoryPerNode(benchmark::State& state) {
  const std::vector<json> objects = jk::bench::synthetic_nodes(count(state));
  std::size_t index_bytes = 0;
  std::size_t store_bytes = 0;
  for (auto _ : state) {
    const std::size_t before = heap_in_use();
    auto index = std::make_unique<jk::policy::NodeIndex>(decoded(objects));
    index_bytes = heap_in_use() - before;
    jk::inventory::NodeStore store([](std::vector<Node>) {}, kBatchInterval);
    const std::size_t before_store = heap_in_use();
    store.replace(objects);
    store_bytes = heap_in_use() - before_store;
    benchmark::DoNotOptimize(index);
  }
  const double n = static_cast<double>(objects.size());
  state.counters["index_bytes_per_node"] = static_cast<double>(index_bytes) / n;
  state.counters["store_bytes_per_node"] = static_cast<double>(store_bytes) / n;
}
BENCHMARK(MemoryPerNode)->Arg(1000)->Arg(10000)->Iterations(1);

// Watch events that change a label: two variants of kChangedNodes nodes, so every event is a
// change.
std::vector<json> changing_events(const std::vector<json>& nodes) {
  std::vector<json> events;
  for (const char* generation : {"a", "b"}) {
    for (std::size_t i = 0; i < kChangedNodes; ++i) {
      json e = nodes[(i * nodes.size()) / kChangedNodes];
      e["metadata"]["labels"]["bench.jailkeeper.io/generation"] = generation;
      events.push_back(std::move(e));
    }
  }
  return events;
}

// Before: every event republished the whole store and rebuilt the index (ObjectStore + NodeIndex).
void WatchEventsPerEventRebuild(benchmark::State& state) {
  const auto nodes = jk::bench::synthetic_nodes(count(state));
  const auto events = changing_events(nodes);
  std::shared_ptr<const jk::policy::NodeIndex> published;
  jk::kube::ObjectStore<Node> store(
      [](const json& j) { return jk::inventory::decode_node(j); },
      [&](std::vector<Node> all) {
        published = std::make_shared<const jk::policy::NodeIndex>(std::move(all));
      });
  store.replace(nodes);
  std::size_t i = 0;
  for (auto _ : state) store.apply(jk::kube::EventType::kModified, events[i++ % events.size()]);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(WatchEventsPerEventRebuild)->Arg(10000)->Unit(benchmark::kMillisecond);

// After: apply() updates the map; the publisher rebuilds once per batch interval (measured
// separately by Publish below).
void WatchEventsBatched(benchmark::State& state) {
  const auto nodes = jk::bench::synthetic_nodes(count(state));
  const auto events = changing_events(nodes);
  jk::inventory::NodeStore store([](std::vector<Node>) {}, kBatchInterval);
  store.replace(nodes);
  std::size_t i = 0;
  for (auto _ : state) store.apply(jk::kube::EventType::kModified, events[i++ % events.size()]);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(WatchEventsBatched)->Arg(10000);

// Status-only updates (what most Node MODIFIED events are): dropped before any publish.
void WatchEventsHeartbeat(benchmark::State& state) {
  auto nodes = jk::bench::synthetic_nodes(count(state));
  jk::inventory::NodeStore store([](std::vector<Node>) {}, kBatchInterval);
  store.replace(nodes);
  json event = nodes[nodes.size() / 2];
  event["status"]["conditions"] = {
      {{"type", "Ready"}, {"lastHeartbeatTime", "2026-11-29T10:00:00Z"}}};
  for (auto _ : state) store.apply(jk::kube::EventType::kModified, event);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(WatchEventsHeartbeat)->Arg(10000);

// One batched publish: copy the map out and build the next NodeIndex.
void Publish(benchmark::State& state) {
  const auto nodes = jk::bench::synthetic_nodes(count(state));
  const auto events = changing_events(nodes);
  std::shared_ptr<const jk::policy::NodeIndex> published;
  jk::inventory::NodeStore store(
      [&](std::vector<Node> all) {
        published = std::make_shared<const jk::policy::NodeIndex>(std::move(all));
      },
      kBatchInterval);
  store.replace(nodes);
  std::size_t i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    store.apply(jk::kube::EventType::kModified, events[i++ % events.size()]);
    state.ResumeTiming();
    store.flush();
  }
}
BENCHMARK(Publish)->Arg(10000)->Unit(benchmark::kMillisecond);

// Where a publish goes: copying the decoded nodes, and building the index from a copy.
void CopyNodes(benchmark::State& state) {
  const auto nodes = decoded(jk::bench::synthetic_nodes(count(state)));
  for (auto _ : state) {
    auto copy = nodes;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(CopyNodes)->Arg(10000)->Unit(benchmark::kMillisecond);

void BuildIndex(benchmark::State& state) {
  const auto nodes = decoded(jk::bench::synthetic_nodes(count(state)));
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = nodes;
    state.ResumeTiming();
    const jk::policy::NodeIndex index(std::move(copy));
    benchmark::DoNotOptimize(index);
  }
}
BENCHMARK(BuildIndex)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  jk::log::set_level(jk::log::Level::kError);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
