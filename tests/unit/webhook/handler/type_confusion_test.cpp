// POST /mutate bodies are untrusted: every field the review path reads (the AdmissionReview
// envelope, the pod, its annotations), fed a value of the wrong type, must give a 200 review
// answer or a 400 that says why, never an exception out of ReviewHandler.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/log.h"
#include "tests/support/type_confusion.h"
#include "webhook/handler/review_handler.h"
#include "webhook/inventory/inventory.h"

namespace jk::handler {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

const fs::path kGolden = fs::path(JK_SOURCE_DIR) / "tests/fixtures/golden";

ordered_json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return ordered_json::parse(s.str());
}

std::vector<policy::Node> inventory() {
  auto nodes = inventory::load_node_file(JK_SOURCE_DIR "/tests/fixtures/golden/nodes.json");
  if (!nodes.ok()) ADD_FAILURE() << nodes.error().message;
  return nodes.ok() ? (*nodes)->snapshot()->nodes() : std::vector<policy::Node>{};
}

// Namespace "agents" opted in and enforcing Pod Security baseline: the gate and the Pod
// Security check read the pod too.
std::shared_ptr<const policy::NamespaceIndex> namespaces() {
  policy::Namespace ns;
  ns.name = "agents";
  ns.labels = {{"jailkeeper.io/inject", "enabled"},
               {"pod-security.kubernetes.io/enforce", "baseline"}};
  return std::make_shared<const policy::NamespaceIndex>(std::vector<policy::Namespace>{ns});
}

ordered_json review_of(ordered_json pod) {
  return {{"apiVersion", "admission.k8s.io/v1"},
          {"kind", "AdmissionReview"},
          {"request",
           {{"uid", "u1"},
            {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}},
            {"resource", {{"group", ""}, {"version", "v1"}, {"resource", "pods"}}},
            {"operation", "CREATE"},
            {"namespace", "agents"},
            {"name", "agent"},
            {"dryRun", false},
            {"object", std::move(pod)}}}};
}

class ReviewTypeConfusionTest : public ::testing::Test {
 protected:
  ReviewTypeConfusionTest()
      : snapshot_{std::make_shared<const policy::PolicyConfig>(),
                  std::make_shared<const policy::NodeIndex>(inventory()), namespaces()},
        handler_([this] { return snapshot_; }, registry_) {
    log::set_sink([](std::string_view) {});
  }
  ~ReviewTypeConfusionTest() override { log::set_sink(nullptr); }

  void expect_answered(const ordered_json& review, const std::string& where) const {
    server::HttpResponse r;
    ASSERT_NO_THROW(r = handler_.review(review.dump())) << where;
    ASSERT_TRUE(r.status == 200 || r.status == 400) << where << ": " << r.status << " " << r.body;
    if (r.status == 200) {
      EXPECT_FALSE(json::parse(r.body, nullptr, false).is_discarded()) << where;
    }
  }

  metrics::Registry registry_;
  inject::Snapshot snapshot_;
  ReviewHandler handler_;
};

// Every value of every golden pod (and of the review around it), replaced by every other type.
TEST_F(ReviewTypeConfusionTest, EveryFieldOfEveryGoldenPodWithEveryWrongType) {
  std::size_t visited = 0;
  for (const auto& dir : fs::directory_iterator(kGolden)) {
    if (!fs::exists(dir.path() / "pod.json")) continue;
    ordered_json pod = read_json(dir.path() / "pod.json");
    visited += jk::testing::for_each_confusion(
        review_of(std::move(pod)), [&](const ordered_json& mutated, const std::string& where) {
          expect_answered(mutated, dir.path().filename().string() + " " + where);
        });
  }
  EXPECT_GT(visited * jk::testing::confusion_stride(), 10000U)
      << "the golden pods should reach every field the review path reads";
}

// The realistic review of bench/ (probes, volumes, affinities, tolerations, security contexts).
TEST_F(ReviewTypeConfusionTest, EveryFieldOfTheBenchReviewWithEveryWrongType) {
  const ordered_json review = read_json(JK_SOURCE_DIR "/bench/fixtures/review.json");
  const std::size_t visited = jk::testing::for_each_confusion(
      review, [&](const ordered_json& mutated, const std::string& where) {
        expect_answered(mutated, "bench review " + where);
      });
  EXPECT_GT(visited * jk::testing::confusion_stride(), 1000U);
}

}  // namespace
}  // namespace jk::handler
