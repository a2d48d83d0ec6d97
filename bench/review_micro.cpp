// Where the time of one review goes, on the load test's body (bench/fixtures/review.json sent
// compact, as the API server does): parse alone, decode, mutate, encode, and the whole handler;
// and heap allocations per review (counter `allocs`, from bench/alloc_counter.cpp).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/alloc_counter.h"
#include "common/log.h"
#include "common/metrics.h"
#include "webhook/handler/review_handler.h"
#include "webhook/inject/mutate.h"
#include "webhook/inventory/inventory.h"
#include "webhook/policy/policy_config.h"
#include "webhook/review/admission_review.h"
#include "webhook/review/pod_decoder.h"
#include "webhook/review/review_response.h"

namespace {

using jk::inject::MutationOptions;
using jk::review::AdmissionRequest;
using jk::review::JsonArena;

[[noreturn]] void die(const std::string& why) {
  std::cerr << "review_micro: " << why << "\n";
  std::exit(1);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The fixtures are pretty-printed for readers; the wire body is compact.
std::string compact(const std::string& path) {
  return nlohmann::json::parse(read_file(path)).dump();
}

const std::string& body() {
  static const std::string kBody = compact(JK_BENCH_FIXTURES "/review.json");
  return kBody;
}

// The same review as a controller's CREATE arrives: + metadata.managedFields (6.3 KB).
const std::string& managed_fields_body() {
  static const std::string kBody =
      compact(JK_K8S_FIXTURES "/admission-review-create-managed-fields.json");
  return kBody;
}

const jk::inject::Snapshot& snapshot() {
  static const jk::inject::Snapshot kSnapshot = [] {
    auto nodes = jk::inventory::load_node_file(JK_GOLDEN_FIXTURES "/nodes.json");
    if (!nodes.ok()) die(nodes.error().message);
    return jk::inject::Snapshot{std::make_shared<const jk::policy::PolicyConfig>(),
                                (*nodes)->snapshot(), nullptr};
  }();
  return kSnapshot;
}

// The review decoded once, with the arena that holds it.
struct Decoded {
  JsonArena arena;
  AdmissionRequest request;
  jk::inject::Pod pod;
};

std::unique_ptr<Decoded> decoded() {
  auto d = std::make_unique<Decoded>();
  auto req = jk::review::decode_review(body(), d->arena);
  if (!req.ok()) die(req.error().message);
  d->request = *req;
  auto pod = jk::review::decode_pod(*req->object);
  if (!pod.ok()) die(pod.error().message);
  d->pod = std::move(*pod);
  return d;
}

jk::inject::MutationResult mutate(const Decoded& d) {
  return jk::inject::mutate(d.pod, snapshot(), MutationOptions{d.request.namespace_name, {}});
}

void set_bytes(benchmark::State& state, const std::string& text = body()) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}

// Heap allocations per iteration of the timed loop.
class AllocCount {
 public:
  AllocCount() : start_(jk::bench::allocations()) {}
  void report(benchmark::State& state) const {
    state.counters["allocs"] = benchmark::Counter(
        static_cast<double>(jk::bench::allocations() - start_), benchmark::Counter::kAvgIterations);
  }

 private:
  std::uint64_t start_;
};

void BM_JsonParse(benchmark::State& state) {
  const AllocCount allocs;
  for (auto _ : state) {
    auto doc = nlohmann::json::parse(body(), nullptr, false);
    benchmark::DoNotOptimize(doc);
  }
  allocs.report(state);
  set_bytes(state);
}
BENCHMARK(BM_JsonParse);

// The lexer alone (no DOM, no allocation per value): the floor for any nlohmann-based decoder.
void BM_JsonAcceptOnly(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(nlohmann::json::accept(body()));
  }
  set_bytes(state);
}
BENCHMARK(BM_JsonAcceptOnly);

// Boost.JSON into the reused arena (what decode_review parses with).
void BM_ArenaParse(benchmark::State& state) {
  JsonArena arena;
  const AllocCount allocs;
  for (auto _ : state) {
    auto v = arena.parse(body());
    benchmark::DoNotOptimize(v);
  }
  allocs.report(state);
  set_bytes(state);
}
BENCHMARK(BM_ArenaParse);

// decode_review + decode_pod: the envelope and the pod, from one parse.
void decode_review_and_pod(benchmark::State& state, const std::string& text) {
  JsonArena arena;
  const AllocCount allocs;
  for (auto _ : state) {
    auto req = jk::review::decode_review(text, arena);
    if (!req.ok()) die(req.error().message);
    auto pod = jk::review::decode_pod(*req->object);
    benchmark::DoNotOptimize(pod);
  }
  allocs.report(state);
  set_bytes(state, text);
}
void BM_DecodeReview(benchmark::State& state) { decode_review_and_pod(state, body()); }
BENCHMARK(BM_DecodeReview);
void BM_DecodeReviewManagedFields(benchmark::State& state) {
  decode_review_and_pod(state, managed_fields_body());
}
BENCHMARK(BM_DecodeReviewManagedFields);

void BM_Mutate(benchmark::State& state) {
  const auto d = decoded();
  const auto first = mutate(*d);
  state.SetLabel(std::string(jk::inject::outcome_name(first.outcome)) + ", " +
                 std::to_string(first.patch.size()) + " B patch");
  const AllocCount allocs;
  for (auto _ : state) {
    auto result = mutate(*d);
    benchmark::DoNotOptimize(result);
  }
  allocs.report(state);
}
BENCHMARK(BM_Mutate);

void BM_EncodeResponse(benchmark::State& state) {
  const auto d = decoded();
  const auto result = mutate(*d);
  jk::review::AdmissionResponse resp;
  resp.uid = d->request.uid;
  resp.patch = result.patch;
  resp.warnings = result.warnings;
  resp.audit_annotations = &result.audit_annotations;
  std::string out;
  const AllocCount allocs;
  for (auto _ : state) {
    out.clear();
    jk::review::encode_response(d->request.api_version, resp, out);
    benchmark::DoNotOptimize(out);
  }
  allocs.report(state);
  state.SetLabel(std::to_string(out.size()) + " B response");
}
BENCHMARK(BM_EncodeResponse);

// The whole handler as the server calls it; log level warn, as in the load test.
void handler_loop(benchmark::State& state, const std::string& text) {
  jk::log::set_level(jk::log::Level::kWarn);
  jk::metrics::Registry registry;
  const jk::handler::ReviewHandler handler([] { return snapshot(); }, registry);
  benchmark::DoNotOptimize(handler.review(text));  // warm: arena, metrics children
  const AllocCount allocs;
  for (auto _ : state) {
    auto resp = handler.review(text);
    benchmark::DoNotOptimize(resp);
  }
  allocs.report(state);
  set_bytes(state, text);
}
void BM_ReviewHandler(benchmark::State& state) { handler_loop(state, body()); }
BENCHMARK(BM_ReviewHandler);
void BM_ReviewHandlerManagedFields(benchmark::State& state) {
  handler_loop(state, managed_fields_body());
}
BENCHMARK(BM_ReviewHandlerManagedFields);

// The same with the per-review info log line rendered (to a discarding sink, not stderr).
void BM_ReviewHandlerInfoLog(benchmark::State& state) {
  jk::log::set_level(jk::log::Level::kInfo);
  jk::log::set_sink([](std::string_view line) { benchmark::DoNotOptimize(line.data()); });
  jk::metrics::Registry registry;
  const jk::handler::ReviewHandler handler([] { return snapshot(); }, registry);
  const AllocCount allocs;
  for (auto _ : state) {
    auto resp = handler.review(body());
    benchmark::DoNotOptimize(resp);
  }
  allocs.report(state);
  set_bytes(state);
  jk::log::set_sink(nullptr);
  jk::log::set_level(jk::log::Level::kWarn);
}
BENCHMARK(BM_ReviewHandlerInfoLog);

}  // namespace

BENCHMARK_MAIN();
