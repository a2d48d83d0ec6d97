// `inject` reads manifests a user pipes in: untrusted input. Every field it (and inject::mutate
// behind it) reads, fed a value of the wrong type, must give a report line or an input error,
// never an exception (`echo '{"kind":5}' | jailkeeper-webhook inject -f -` aborted with an
// uncaught nlohmann::type_error).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/type_confusion.h"
#include "webhook/cli/inject.h"
#include "webhook/cli/yaml_json.h"
#include "webhook/inventory/inventory.h"

namespace jk::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using ::testing::HasSubstr;

const fs::path kInjectFixtures = fs::path(JK_SOURCE_DIR) / "tests/fixtures/inject";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct InjectRun {
  int rc = -1;
  std::string out;
  std::string err;
};

class InjectTypeConfusionTest : public ::testing::Test {
 protected:
  InjectTypeConfusionTest()
      : snapshot_{std::make_shared<const policy::PolicyConfig>(), nodes()->snapshot(), nullptr} {}

  static std::shared_ptr<const inventory::NodeSource> nodes() {
    auto source = inventory::load_node_file(JK_SOURCE_DIR "/deploy/examples/nodes.json");
    if (!source.ok()) ADD_FAILURE() << source.error().message;
    return source.ok() ? std::shared_ptr<const inventory::NodeSource>(*source) : nullptr;
  }

  InjectRun inject(const std::string& input, std::string_view output = kOutputYaml) const {
    InjectOptions opts;
    opts.output = std::string(output);
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    InjectRun r;
    r.rc = run_inject(opts, in, out, err, snapshot_);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  // No exception; an exit code of run_inject; printed output is a manifest again.
  void expect_answered(const std::string& input, const std::string& where) const {
    InjectRun r;
    ASSERT_NO_THROW(r = inject(input)) << where;
    ASSERT_TRUE(r.rc == kInjectOk || r.rc == kInjectDenied || r.rc == kInjectInputError)
        << where << ": rc " << r.rc;
    if (r.rc == kInjectInputError) {
      EXPECT_TRUE(r.out.empty()) << where;
      return;
    }
    const auto again = parse_documents(r.out);
    EXPECT_TRUE(again.ok()) << where << ": " << (again.ok() ? "" : again.error().message);
  }

  inject::Snapshot snapshot_;
};

TEST_F(InjectTypeConfusionTest, KindThatIsANumberIsSkippedWithAReason) {
  const InjectRun r = inject(R"({"kind":5})");
  EXPECT_EQ(r.rc, kInjectOk);
  EXPECT_THAT(r.err, HasSubstr("skipped: kind is not a string but number"));
  EXPECT_EQ(r.out, "kind: 5\n");
}

TEST_F(InjectTypeConfusionTest, TemplateFieldsOfTheWrongTypeAreReportedNotThrown) {
  for (const char* doc :
       {R"({"kind":"Deployment","spec":{"template":5}})", R"({"kind":"Deployment","spec":5})",
        R"({"kind":"Pod","metadata":[],"spec":{"containers":"agent"}})",
        R"({"kind":"Pod","metadata":{"name":5,"namespace":[1]}})",
        R"({"kind":"List","items":{"kind":"Pod"}})",
        R"({"kind":"List","items":[5,null,{"kind":true}]})",
        R"({"kind":"CronJob","spec":{"jobTemplate":{"spec":[]}}})"}) {
    expect_answered(doc, doc);
  }
}

// Every value of every fixture manifest, replaced by every other type.
TEST_F(InjectTypeConfusionTest, EveryFieldOfEveryFixtureManifestWithEveryWrongType) {
  std::size_t visited = 0;
  for (const auto& dir : fs::directory_iterator(kInjectFixtures)) {
    for (const char* name : {"input.yaml", "input.json"}) {
      if (!fs::exists(dir.path() / name)) continue;
      const auto docs = parse_documents(read_file(dir.path() / name));
      ASSERT_TRUE(docs.ok()) << dir.path() << ": " << docs.error().message;
      for (const ordered_json& doc : *docs) {
        visited += jk::testing::for_each_confusion(
            doc, [&](const ordered_json& mutated, const std::string& where) {
              expect_answered(mutated.dump(), dir.path().filename().string() + " " + where);
            });
      }
    }
  }
  EXPECT_GT(visited * jk::testing::confusion_stride(), 1000U)
      << "the fixtures should reach every field inject reads";
}

}  // namespace
}  // namespace jk::cli
