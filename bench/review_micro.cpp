// Where the time of one review goes, on the load test's body (bench/fixtures/review.json sent
// compact, as the API server does): parse alone, decode, mutate, encode, and the whole handler.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/metrics.h"
#include "webhook/admission/review.h"
#include "webhook/handler/review_handler.h"
#include "webhook/inject/mutate.h"
#include "webhook/inventory/inventory.h"
#include "webhook/policy/policy_config.h"

namespace {

using jk::admission::AdmissionRequest;
using jk::inject::MutationOptions;

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

// The fixture is pretty-printed for readers; the wire body is compact.
const std::string& body() {
  static const std::string kBody =
      nlohmann::json::parse(read_file(JK_BENCH_FIXTURES "/review.json")).dump();
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

jk::inject::MutationResult mutate(const nlohmann::json& pod, const MutationOptions& options) {
  return jk::inject::mutate(pod, snapshot(), options);
}

AdmissionRequest decoded() {
  auto req = jk::admission::decode_review(body());
  if (!req.ok()) die(req.error().message);
  return std::move(*req);
}

void set_bytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(body().size()));
}

void BM_JsonParse(benchmark::State& state) {
  for (auto _ : state) {
    auto doc = nlohmann::json::parse(body(), nullptr, false);
    benchmark::DoNotOptimize(doc);
  }
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

void BM_DecodeReview(benchmark::State& state) {
  for (auto _ : state) {
    auto req = jk::admission::decode_review(body());
    benchmark::DoNotOptimize(req);
  }
  set_bytes(state);
}
BENCHMARK(BM_DecodeReview);

void BM_Mutate(benchmark::State& state) {
  const AdmissionRequest req = decoded();
  const MutationOptions options{req.namespace_name, std::nullopt};
  const auto first = mutate(req.object, options);
  state.SetLabel(std::string(jk::inject::outcome_name(first.outcome)) + ", " +
                 std::to_string(first.patch.size()) + " ops");
  for (auto _ : state) {
    auto result = mutate(req.object, options);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_Mutate);

void BM_PatchDump(benchmark::State& state) {
  const AdmissionRequest req = decoded();
  const auto result = mutate(req.object, MutationOptions{req.namespace_name, {}});
  for (auto _ : state) {
    auto text = result.patch.dump();
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_PatchDump);

void BM_EncodeResponse(benchmark::State& state) {
  const AdmissionRequest req = decoded();
  const auto result = mutate(req.object, MutationOptions{req.namespace_name, {}});
  jk::admission::AdmissionResponse resp;
  resp.uid = req.uid;
  resp.patch = result.patch.dump();
  resp.warnings = result.warnings;
  resp.audit_annotations = result.audit_annotations;
  std::size_t size = 0;
  for (auto _ : state) {
    auto out = jk::admission::encode_response(req.api_version, resp);
    size = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(std::to_string(size) + " B response");
}
BENCHMARK(BM_EncodeResponse);

// The whole handler as the server calls it; log level warn, as in the load test.
void BM_ReviewHandler(benchmark::State& state) {
  jk::log::set_level(jk::log::Level::kWarn);
  jk::metrics::Registry registry;
  const jk::handler::ReviewHandler handler([] { return snapshot(); }, registry);
  for (auto _ : state) {
    auto resp = handler.review(body());
    benchmark::DoNotOptimize(resp);
  }
  set_bytes(state);
}
BENCHMARK(BM_ReviewHandler);

// The same with the per-review info log line rendered (to a discarding sink, not stderr).
void BM_ReviewHandlerInfoLog(benchmark::State& state) {
  jk::log::set_level(jk::log::Level::kInfo);
  jk::log::set_sink([](std::string_view line) { benchmark::DoNotOptimize(line.data()); });
  jk::metrics::Registry registry;
  const jk::handler::ReviewHandler handler([] { return snapshot(); }, registry);
  for (auto _ : state) {
    auto resp = handler.review(body());
    benchmark::DoNotOptimize(resp);
  }
  set_bytes(state);
  jk::log::set_sink(nullptr);
  jk::log::set_level(jk::log::Level::kWarn);
}
BENCHMARK(BM_ReviewHandlerInfoLog);

}  // namespace

BENCHMARK_MAIN();
