// Golden fixtures: tests/fixtures/golden/<case>/ holds pod.json (+ optional config.yaml,
// options.json {"nodeOS": "...", "namespace": "..."}, namespaces.json {"namespaces": [...]}: the
// namespace inventory; without it namespace checks are off) and the expected results: expected.json
// (outcome, patch, warnings, deny message) and, for patched pods, expected-pod.json. Every case
// also checks that no operation replaces an existing value wholesale and that a second pass
// over the patched pod yields no patch (idempotency).
// Regenerate after an intended change with JK_UPDATE_GOLDEN=1, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "webhook/config/config.h"
#include "webhook/inject/mutate.h"
#include "webhook/inventory/inventory.h"
#include "webhook/review/pod_decoder.h"

namespace jk::inject {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kGolden = fs::path(JK_SOURCE_DIR) / "tests/fixtures/golden";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const json& j) { std::ofstream(p) << j.dump(2) << "\n"; }

std::vector<std::string> cases() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kGolden)) {
    if (e.is_directory()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Case {
  json pod;
  Snapshot snapshot;
  MutationOptions options;
  std::string ns;
};

Case load_case(const fs::path& dir) {
  Case c;
  c.pod = json::parse(read(dir / "pod.json"));
  const std::string yaml = fs::exists(dir / "config.yaml") ? read(dir / "config.yaml") : "{}";
  auto cfg = config::parse_config(yaml);
  if (!cfg.ok()) ADD_FAILURE() << cfg.error().message;
  c.snapshot.config =
      std::make_shared<const policy::PolicyConfig>(cfg.ok() ? cfg->policy : policy::PolicyConfig{});
  const fs::path nodes_file =
      fs::exists(dir / "nodes.json") ? dir / "nodes.json" : kGolden / "nodes.json";
  auto source = inventory::load_node_file(nodes_file.string());
  if (!source.ok()) ADD_FAILURE() << source.error().message;
  if (source.ok()) c.snapshot.nodes = (*source)->snapshot();
  if (fs::exists(dir / "namespaces.json")) {
    auto file = inventory::load_inventory_file((dir / "namespaces.json").string());
    if (!file.ok() || !file->namespaces) ADD_FAILURE() << "namespaces.json: no namespaces";
    if (file.ok() && file->namespaces) c.snapshot.namespaces = file->namespaces->snapshot();
  }
  const json opts =
      fs::exists(dir / "options.json") ? json::parse(read(dir / "options.json")) : json::object();
  c.ns = opts.value("namespace", c.pod["metadata"].value("namespace", "default"));
  if (opts.contains("nodeOS"))
    c.options.forced_os = policy::parse_os(opts["nodeOS"].get<std::string>());
  return c;
}

json summary(const MutationResult& r) {
  json s = {{"outcome", outcome_name(r.outcome)},
            {"patch", json::parse(r.patch)},
            {"warnings", r.warnings}};
  if (r.outcome == Outcome::kDenied) s["denyMessage"] = r.deny_message;
  if (r.outcome == Outcome::kSkipped) s["skipReason"] = r.skip_reason;
  return s;
}

// An "add" to an object member that exists replaces it; a "replace" of an array rewrites it.
void expect_minimal(json doc, const json& patch) {
  for (const json& op : patch) {
    const json::json_pointer ptr(op["path"].get<std::string>());
    const std::string last = ptr.back();
    const bool array_insert =
        doc.contains(ptr.parent_pointer()) && doc[ptr.parent_pointer()].is_array();
    if (op["op"] == "add" && !array_insert) {
      EXPECT_FALSE(doc.contains(ptr)) << "add overwrites existing " << ptr.to_string();
    }
    if (op["op"] == "replace") {
      EXPECT_FALSE(doc[ptr].is_array()) << "replaces a whole array at " << ptr.to_string();
    }
    doc = doc.patch(json::array({op}));
  }
}

class Golden : public testing::TestWithParam<std::string> {};

// Through the one pod decoder, as `serve` and `inject` do.
MutationResult mutate(const json& pod, const Snapshot& snapshot, const MutationOptions& options) {
  return inject::mutate(review::decode_pod_json(pod.dump()), snapshot, options);
}

TEST_P(Golden, MatchesExpectedAndIsIdempotent) {
  const fs::path dir = kGolden / GetParam();
  Case c = load_case(dir);
  c.options.namespace_name = c.ns;
  const MutationResult r = mutate(c.pod, c.snapshot, c.options);
  const json got = summary(r);
  // The text is exactly what the JSON document the patch was once built as dumped: compact,
  // each object's members in key order. Every byte the webhook sends is therefore checked here
  // (values that hold JSON text, the status and launch spec, are compared as strings below).
  EXPECT_EQ(r.patch, got["patch"].dump());
  const json patched = c.pod.patch(got["patch"]);
  if (std::getenv("JK_UPDATE_GOLDEN") != nullptr) {
    write(dir / "expected.json", got);
    if (r.outcome == Outcome::kPatched) write(dir / "expected-pod.json", patched);
  }
  EXPECT_EQ(got, json::parse(read(dir / "expected.json"))) << got.dump(2);
  if (r.outcome == Outcome::kPatched) {
    EXPECT_EQ(patched, json::parse(read(dir / "expected-pod.json"))) << patched.dump(2);
    expect_minimal(c.pod, got["patch"]);
  }
  const MutationResult again = mutate(patched, c.snapshot, c.options);
  EXPECT_EQ(again.outcome, r.outcome == Outcome::kPatched ? Outcome::kUnchanged : r.outcome);
  EXPECT_EQ(again.patch, "[]") << "second pass patched";
}

// Reinvocation after another webhook undid part of the first pass: the new record keeps the
// changes the earlier record lists (duplicates in it included, as written) and then this pass's
// that it does not list yet, each once.
TEST(GoldenStatus, TheRecordKeepsEarlierChangesThenAddsThisPasssNewOnes) {
  const fs::path dir = kGolden / "bottlerocket-karpenter";
  Case c = load_case(dir);
  c.options.namespace_name = c.ns;
  const MutationResult first = mutate(c.pod, c.snapshot, c.options);
  ASSERT_EQ(first.outcome, Outcome::kPatched);
  ASSERT_GE(first.changes.size(), 2U);
  json pod = c.pod;
  const json earlier = {"from an earlier pass", first.changes[1], "from an earlier pass"};
  pod["metadata"]["annotations"]["jailkeeper.io/status"] =
      json{{"version", 1}, {"changes", earlier}}.dump();
  const MutationResult r = mutate(pod, c.snapshot, c.options);
  ASSERT_EQ(r.outcome, Outcome::kPatched);
  const json patched = pod.patch(json::parse(r.patch));
  const json record =
      json::parse(patched["metadata"]["annotations"]["jailkeeper.io/status"].get<std::string>());
  json want = earlier;
  for (std::size_t i = 0; i < r.changes.size(); ++i) {
    if (i != 1) want.push_back(r.changes[i]);
  }
  EXPECT_EQ(record["changes"], want) << record.dump(2);
  EXPECT_EQ(r.changes, first.changes) << "this pass's own list is unchanged";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Golden, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<std::string>& param_info) {
                           std::string n;
                           for (const char ch : param_info.param)
                             n += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return n;
                         });

}  // namespace
}  // namespace jk::inject
