#include "webhook/review/pod_facts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "webhook/review/json_arena.h"

namespace jk::review {
namespace {

using nlohmann::json;

// The tests write pods as nlohmann values; the decoder reads them as JSON text, like `inject`.
// The facts' strings point into the parsed document: the result keeps its arena.
class Decoded {
 public:
  explicit Decoded(const json& pod) : facts_(decode(pod)) {}
  [[nodiscard]] bool ok() const { return facts_.ok(); }
  [[nodiscard]] const auto& error() const { return facts_.error(); }
  const inject::PodFacts* operator->() const { return &*facts_; }

 private:
  Result<inject::PodFacts> decode(const json& pod) {
    JK_TRY(const boost::json::value* v, arena_->parse(pod.dump()));
    return review::decode_pod_facts(*v);
  }
  std::unique_ptr<JsonArena> arena_ = std::make_unique<JsonArena>();  // before facts_
  Result<inject::PodFacts> facts_;
};

Decoded decode_pod_facts(const json& pod) { return Decoded(pod); }

TEST(PodFacts, ReadsAPodWithEveryField) {
  std::ifstream in(std::string(JK_SOURCE_DIR) + "/tests/fixtures/k8s/pod-every-field.json");
  std::ostringstream s;
  s << in.rdbuf();
  const json pod = json::parse(s.str(), nullptr, false);
  ASSERT_FALSE(pod.is_discarded());
  // The fill-every-field fixture uses "operatorValue" as the selector operator: an unknown
  // operator is an error that names the field, never a crash or a silent match.
  auto facts = decode_pod_facts(pod);
  ASSERT_FALSE(facts.ok());
  EXPECT_NE(facts.error().message.find("operator"), std::string::npos) << facts.error().message;
}

TEST(PodFacts, ReadsSchedulingAndSkipConditions) {
  const json pod = json::parse(R"({
    "metadata": {"generateName": "agent-", "namespace": "dev",
                 "labels": {"jailkeeper.io/inject": "disabled", "eks.amazonaws.com/fargate-profile": "fp"},
                 "annotations": {"kubernetes.io/config.mirror": "x"}},
    "spec": {"hostNetwork": true, "nodeName": "n1", "schedulerName": "fargate-scheduler",
             "nodeSelector": {"a": "b"},
             "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}, {"key": "j", "value": "v"}],
             "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
               "nodeSelectorTerms": [{"matchExpressions": [{"key": "z", "operator": "NotIn", "values": ["x"]}],
                                      "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]}}},
             "containers": []}})");
  auto f = decode_pod_facts(pod);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->name, "agent-");
  EXPECT_EQ(f->namespace_name, "dev");
  EXPECT_TRUE(f->host_network);
  EXPECT_TRUE(f->mirror);
  EXPECT_TRUE(f->opted_out);
  const auto& s = f->scheduling;
  EXPECT_TRUE(s.fargate_profile_label);
  EXPECT_EQ(s.node_name, "n1");
  EXPECT_EQ(s.scheduler_name, "fargate-scheduler");
  EXPECT_EQ(policy::selector_value(s.node_selector, "a"), "b");
  ASSERT_EQ(s.tolerations.size(), 2U);
  EXPECT_EQ(s.tolerations[0].op, "Exists");
  EXPECT_EQ(s.tolerations[1].op, "Equal");  // the default
  ASSERT_EQ(s.required_terms.size(), 1U);
  EXPECT_EQ(s.required_terms[0].match_expressions[0].op, policy::SelectorOp::kNotIn);
  EXPECT_EQ(s.required_terms[0].match_fields[0].values[0], "n1");
}

class PodFactsRejects : public testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(PodFactsRejects, NamingTheField) {
  auto f = decode_pod_facts(json::parse(GetParam().first));
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find(GetParam().second), std::string::npos) << f.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, PodFactsRejects,
    testing::Values(
        std::pair{R"([])", "expected a Pod"}, std::pair{R"({"metadata":{}})", "spec: missing"},
        std::pair{R"({"spec":{"hostNetwork":"yes"}})", "spec.hostNetwork"},
        std::pair{R"({"spec":{"nodeSelector":{"a":1}}})", "spec.nodeSelector.a"},
        std::pair{R"({"spec":{"tolerations":{}}})", "spec.tolerations"},
        std::pair{R"({"metadata":{"labels":[]},"spec":{}})", "metadata.labels"},
        std::pair{
            R"({"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
                   {"nodeSelectorTerms":[{"matchExpressions":[{"key":"a","operator":"Near"}]}]}}}}})",
            "unknown operator \"Near\""}));

// The whole message, so the path's text is pinned: fields, indexes, nested lists, label keys.
TEST(PodFacts, ErrorsNameTheExactPath) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"metadata":{"labels":{"app.kubernetes.io/name":7}},"spec":{}})",
       "metadata.labels.app.kubernetes.io/name: expected a string"},
      {R"({"metadata":{"annotations":{"a":[]}},"spec":{}})",
       "metadata.annotations.a: expected a string"},
      {R"({"spec":{"tolerations":[{},{"effect":false}]}})",
       "spec.tolerations[1].effect: expected a string"},
      {R"({"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
           {"nodeSelectorTerms":[{},{"matchFields":[{"key":"k","operator":"In","values":["a",1]}]}]}}}}})",
       "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
       "nodeSelectorTerms[1].matchFields[0].values[1]: expected a string"},
      {R"({"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
           {"nodeSelectorTerms":{}}}}}})",
       "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
       "nodeSelectorTerms: expected an array"},
      {R"({"metadata":{"name":1},"spec":{}})", "metadata.name: expected a string"},
  };
  for (const auto& [pod, message] : cases) {
    auto f = decode_pod_facts(json::parse(pod));
    ASSERT_FALSE(f.ok()) << pod;
    EXPECT_EQ(f.error().message, message);
  }
}

// nodeSelector is kept sorted by key (predict looks keys up by binary search); of a key written
// twice the last value counts, as it did when the selector was a map filled in document order.
TEST(PodFacts, NodeSelectorIsSortedAndTheLastOfADuplicateKeyCounts) {
  JsonArena arena;
  const auto v = arena.parse(
      R"({"spec":{"nodeSelector":{"z":"1","dup":"first","a":"2","dup":"last","m":null}}})");
  ASSERT_TRUE(v.ok());
  auto f = review::decode_pod_facts(**v);
  ASSERT_TRUE(f.ok()) << f.error().message;
  const policy::NodeSelector want = {{"a", "2"}, {"dup", "last"}, {"m", ""}, {"z", "1"}};
  EXPECT_EQ(f->scheduling.node_selector, want);
  EXPECT_EQ(policy::selector_value(f->scheduling.node_selector, "dup"), "last");
  EXPECT_EQ(policy::selector_value(f->scheduling.node_selector, "b"), std::nullopt);
}

TEST(PodFacts, LabelsAndAnnotationsAreReadWithoutBeingCopied) {
  const json pod = json::parse(R"({"metadata":{"labels":{"jailkeeper.io/inject":"enabled",
      "eks.amazonaws.com/fargate-profile":""},"annotations":{"kubernetes.io/config.mirror":null}},
      "spec":{}})");
  auto f = decode_pod_facts(pod);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_FALSE(f->opted_out);                        // only "disabled" opts out
  EXPECT_TRUE(f->scheduling.fargate_profile_label);  // present, even empty
  EXPECT_TRUE(f->mirror);                            // present, even null
}

}  // namespace
}  // namespace jk::review
