#include "webhook/policy/predict.h"

#include <gtest/gtest.h>

#include "tests/unit/webhook/policy/test_nodes.h"

namespace jk::policy {
namespace {

using testing_nodes::cluster;
using T = Target;

SelectorRequirement req(std::string key, SelectorOp op, std::vector<std::string> values = {}) {
  return SelectorRequirement{std::move(key), op, std::move(values)};
}

struct PredictCase {
  std::string name;
  PodScheduling pod;
  std::vector<Target> want;
  std::size_t candidates;
};

class Predict : public testing::TestWithParam<PredictCase> {};

TEST_P(Predict, SelectsCandidateOses) {
  const NodeIndex index(cluster());
  const PolicyConfig config;
  const Prediction p = predict(GetParam().pod, index, config);
  EXPECT_EQ(p.targets, GetParam().want);
  EXPECT_EQ(p.candidates, GetParam().candidates);
}

PodScheduling with_selector(Labels s) {
  PodScheduling p;
  p.node_selector = std::move(s);
  return p;
}

PodScheduling with_terms(std::vector<SelectorTerm> terms, std::vector<Toleration> tol = {}) {
  PodScheduling p;
  p.required_terms = std::move(terms);
  p.tolerations = std::move(tol);
  return p;
}

const Toleration kTolerateAgents{"dedicated", "Equal", "agents", "NoSchedule"};

INSTANTIATE_TEST_SUITE_P(
    Table, Predict,
    testing::Values(
        // No constraints: every untainted node (Bottlerocket is tainted, Fargate is tainted).
        PredictCase{"none", PodScheduling{}, {T::kAmazonLinux, T::kBottlerocketNoUserns}, 3},
        PredictCase{"nodegroup",
                    with_selector({{"eks.amazonaws.com/nodegroup", "general"}}),
                    {T::kAmazonLinux},
                    2},
        PredictCase{"selector matches nothing", with_selector({{"zone", "z"}}), {}, 0},
        PredictCase{"tainted pool without toleration",
                    with_selector({{"karpenter.sh/nodepool", "bottlerocket"}}),
                    {},
                    0},
        PredictCase{"tainted pool with toleration",
                    [] {
                      auto p = with_selector({{"karpenter.sh/nodepool", "bottlerocket"}});
                      p.tolerations = {kTolerateAgents};
                      return p;
                    }(),
                    {T::kBottlerocket},
                    1},
        PredictCase{"tolerate everything",
                    [] {
                      PodScheduling p;
                      p.tolerations = {Toleration{"", "Exists", "", ""}};
                      return p;
                    }(),
                    {T::kAmazonLinux, T::kBottlerocket, T::kBottlerocketNoUserns, T::kFargate},
                    5},
        PredictCase{"In",
                    with_terms({{{req("zone", SelectorOp::kIn, {"a", "c"})}, {}}}),
                    {T::kAmazonLinux, T::kBottlerocketNoUserns},
                    2},
        PredictCase{"NotIn",
                    with_terms({{{req("zone", SelectorOp::kNotIn, {"a"})}, {}}}),
                    {T::kAmazonLinux, T::kBottlerocketNoUserns},
                    2},
        PredictCase{
            "Exists",
            with_terms({{{req("eks.amazonaws.com/compute-type", SelectorOp::kExists)}, {}}}),
            {T::kBottlerocketNoUserns},
            1},
        PredictCase{
            "DoesNotExist",
            with_terms({{{req("eks.amazonaws.com/compute-type", SelectorOp::kDoesNotExist)}, {}}}),
            {T::kAmazonLinux},
            2},
        PredictCase{"Gt",
                    with_terms({{{req("gpu-count", SelectorOp::kGt, {"1"})}, {}}}),
                    {T::kAmazonLinux},
                    1},
        PredictCase{"Lt",
                    with_terms({{{req("gpu-count", SelectorOp::kLt, {"1"})}, {}}}),
                    {T::kAmazonLinux},
                    1},
        PredictCase{"Gt on non-integer never matches",
                    with_terms({{{req("zone", SelectorOp::kGt, {"1"})}, {}}}),
                    {},
                    0},
        PredictCase{"terms are ORed",
                    with_terms({{{req("zone", SelectorOp::kIn, {"c"})}, {}},
                                {{req("gpu-count", SelectorOp::kIn, {"4"})}, {}}}),
                    {T::kAmazonLinux, T::kBottlerocketNoUserns},
                    2},
        PredictCase{"expressions are ANDed",
                    with_terms({{{req("zone", SelectorOp::kIn, {"a"}),
                                  req("gpu-count", SelectorOp::kIn, {"0"})},
                                 {}}}),
                    {T::kAmazonLinux},
                    1},
        PredictCase{"matchFields metadata.name",
                    with_terms({{{}, {req("metadata.name", SelectorOp::kIn, {"auto-1"})}}}),
                    {T::kBottlerocketNoUserns},
                    1},
        PredictCase{"empty term matches nothing", with_terms({SelectorTerm{}}), {}, 0},
        PredictCase{"nodeName",
                    [] {
                      PodScheduling p;
                      p.node_name = "br-1";  // bypasses the scheduler: taints do not apply
                      return p;
                    }(),
                    {T::kBottlerocket},
                    1},
        PredictCase{"unknown nodeName",
                    [] {
                      PodScheduling p;
                      p.node_name = "gone";
                      return p;
                    }(),
                    {},
                    0},
        PredictCase{"fargate-scheduler",
                    [] {
                      PodScheduling p;
                      p.scheduler_name = "fargate-scheduler";
                      return p;
                    }(),
                    {T::kFargate},
                    1}),
    [](const testing::TestParamInfo<PredictCase>& param_info) {
      std::string n;
      for (const char c : param_info.param.name)
        n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return n;
    });

TEST(Predict, FargateKernelIsTheNewestKnownFargateNode) {
  const NodeIndex index(cluster());
  PodScheduling pod;
  pod.fargate_profile_label = true;
  const Prediction p = predict(pod, index, PolicyConfig{});
  EXPECT_EQ(p.basis, "fargate-profile");
  ASSERT_TRUE(p.max_fargate_kernel.has_value());
  EXPECT_EQ(p.max_fargate_kernel->str(), "5.10.234");
}

TEST(Predict, StaticPoolStandsInForPoolsWithoutNodes) {
  const NodeIndex index(cluster());
  PolicyConfig config;
  Pool pool;
  pool.name = "gpu-br";
  pool.selector = {{"karpenter.sh/nodepool", "gpu"}};
  pool.os = NodeOs::kBottlerocket;
  config.pools.push_back(pool);
  const Prediction p = predict(with_selector({{"karpenter.sh/nodepool", "gpu"}}), index, config);
  EXPECT_EQ(p.targets, std::vector<Target>{T::kBottlerocket});
  EXPECT_EQ(p.candidates, 1U);
}

TEST(Predict, PoolWithUserNamespacesOffMarksItsNodes) {
  const NodeIndex index(cluster());
  PolicyConfig config;
  Pool pool;
  pool.name = "br-locked";
  pool.selector = {{"karpenter.sh/nodepool", "bottlerocket"}};
  pool.user_namespaces = false;
  config.pools.push_back(pool);
  auto pod = with_selector({{"karpenter.sh/nodepool", "bottlerocket"}});
  pod.tolerations = {kTolerateAgents};
  EXPECT_EQ(predict(pod, index, config).targets, std::vector<Target>{T::kBottlerocketNoUserns});
}

TEST(Predict, IndexAndFullScanAgree) {
  // The label index is an optimisation only: the same pod with the constraint written as a
  // nodeSelector (indexed) and as a NotIn-free affinity term must give the same answer.
  const NodeIndex index(cluster());
  const auto by_selector = predict(with_selector({{"zone", "a"}}), index, PolicyConfig{});
  const auto by_term = predict(
      with_terms({{{req("zone", SelectorOp::kIn, {"a"}), req("zone", SelectorOp::kExists)}, {}}}),
      index, PolicyConfig{});
  EXPECT_EQ(by_selector.targets, by_term.targets);
  EXPECT_EQ(by_selector.candidates, by_term.candidates);
}

}  // namespace
}  // namespace jk::policy
