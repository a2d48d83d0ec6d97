// Golden cases for `inject`, one folder each under tests/fixtures/inject/ (Istio kube-inject
// style): the input, the options, the exact stdout (want.out), report (want.err) and exit code;
// plus an idempotency check that injecting want.out again changes nothing.
// Regenerate after an intended change: JK_UPDATE_GOLDEN=1 ./cli_test --gtest_filter='Golden*'
//
// options.json: {"input": "repo/relative/path" (default: the folder's input.yaml or input.json),
//                "nodeOs": "bottlerocket", "nodes": "repo/relative/nodes.json",
//                "namespace": "team-a", "output": "yaml|json", "exitCode": 0}
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "webhook/cli/inject.h"
#include "webhook/inventory/inventory.h"

namespace jk::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSourceDir = JK_SOURCE_DIR;
const fs::path kCasesDir = kSourceDir / "tests/fixtures/inject";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  if (!fs::is_directory(kCasesDir)) return names;
  for (const auto& entry : fs::directory_iterator(kCasesDir)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct GoldenCase {
  fs::path input;
  InjectOptions options;
  std::shared_ptr<const inventory::NodeSource> nodes;
  int exit_code = 0;
};

GoldenCase load_case(const fs::path& dir) {
  const json o = json::parse(read_file(dir / "options.json"));
  GoldenCase c;
  c.input = o.contains("input")              ? kSourceDir / o["input"].get<std::string>()
            : fs::exists(dir / "input.json") ? dir / "input.json"
                                             : dir / "input.yaml";
  c.options.input = c.input.filename().string();
  c.options.output = o.value("output", std::string(kOutputYaml));
  c.options.namespace_name = o.value("namespace", "");
  if (o.contains("nodeOs")) c.options.forced_os = policy::parse_os(o["nodeOs"].get<std::string>());
  c.nodes = std::make_shared<inventory::StaticNodeSource>(std::vector<policy::Node>{}, "none");
  if (o.contains("nodes")) {
    auto loaded = inventory::load_node_file((kSourceDir / o["nodes"].get<std::string>()).string());
    EXPECT_TRUE(loaded.ok()) << loaded.error().message;
    if (loaded.ok()) c.nodes = *loaded;
  }
  c.exit_code = o.value("exitCode", 0);
  return c;
}

struct Output {
  int rc = 0;
  std::string out;
  std::string err;
};

Output run(const GoldenCase& c, const std::string& input) {
  const inject::Snapshot snapshot{std::make_shared<const policy::PolicyConfig>(),
                                  c.nodes->snapshot(), nullptr};
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int rc = run_inject(c.options, in, out, err, snapshot);
  return {rc, out.str(), err.str()};
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesWantedOutputAndIsIdempotent) {
  const fs::path dir = kCasesDir / GetParam();
  const GoldenCase c = load_case(dir);
  const Output got = run(c, read_file(c.input));
  if (std::getenv("JK_UPDATE_GOLDEN") != nullptr) {
    write_file(dir / "want.out", got.out);
    write_file(dir / "want.err", got.err);
  }
  EXPECT_EQ(got.rc, c.exit_code) << got.err;
  EXPECT_EQ(got.out, read_file(dir / "want.out"));
  EXPECT_EQ(got.err, read_file(dir / "want.err"));

  const Output again = run(c, got.out);
  EXPECT_EQ(again.out, got.out) << "a second inject must change nothing";
  EXPECT_EQ(again.err.find(": patched "), std::string::npos) << again.err;
}

INSTANTIATE_TEST_SUITE_P(Inject, Golden, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(GoldenCases, Exist) { EXPECT_GE(case_names().size(), 3U) << kCasesDir; }

}  // namespace
}  // namespace jk::cli
