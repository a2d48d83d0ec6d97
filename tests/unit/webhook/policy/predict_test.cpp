#include "webhook/policy/predict.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/webhook/policy/test_nodes.h"

namespace jk::policy {
namespace {

using testing_nodes::cluster;
using T = Target;

// The scheduling types hold views: the tests build them from string literals.
SelectorRequirement req(std::string_view key, SelectorOp op,
                        std::vector<std::string_view> values = {}) {
  return SelectorRequirement{key, op, std::move(values)};
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

PodScheduling with_selector(NodeSelector s) {
  PodScheduling p;
  std::sort(s.begin(), s.end());  // as the decoder keeps it
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

// A Karpenter pool that mixes Graviton and x86 nodes, plus a node that reports no architecture.
std::vector<Node> mixed_arch_cluster() {
  using testing_nodes::node;
  std::vector<Node> nodes = {
      node("x86-1", NodeOs::kAmazonLinux, {{"karpenter.sh/nodepool", "agents"}}),
      node("graviton-1", NodeOs::kAmazonLinux, {{"karpenter.sh/nodepool", "agents"}}),
      node("graviton-2", NodeOs::kBottlerocket, {{"karpenter.sh/nodepool", "br"}}),
      node("mystery", NodeOs::kOther, {{"karpenter.sh/nodepool", "odd"}}),
  };
  for (Node& n : nodes) {
    if (n.name != "mystery") {
      n.arch = n.name.starts_with("graviton") ? "arm64" : "amd64";
      n.labels[std::string(kArchLabel)] = n.arch;
    }
  }
  return nodes;
}

TEST(Predict, ArchitecturesAreThoseOfTheCandidates) {
  const NodeIndex index(mixed_arch_cluster());
  const PolicyConfig config;
  const auto archs = [&](const PodScheduling& pod) {
    return predict(pod, index, config).architectures;
  };
  using Archs = std::vector<std::string>;
  EXPECT_EQ(archs(with_selector({{"karpenter.sh/nodepool", "agents"}})), (Archs{"amd64", "arm64"}));
  EXPECT_EQ(archs(with_selector({{"karpenter.sh/nodepool", "br"}})), Archs{"arm64"});
  // The pod's own arch selector narrows the candidates like any label.
  EXPECT_EQ(
      archs(with_selector({{"karpenter.sh/nodepool", "agents"}, {"kubernetes.io/arch", "amd64"}})),
      Archs{"amd64"});
  // A candidate that reports none adds nothing; one that is all there is leaves it unknown.
  EXPECT_EQ(archs(PodScheduling{}), (Archs{"amd64", "arm64"}));
  EXPECT_TRUE(archs(with_selector({{"karpenter.sh/nodepool", "odd"}})).empty());
  PodScheduling by_name;
  by_name.node_name = "graviton-2";
  EXPECT_EQ(archs(by_name), Archs{"arm64"});
}

TEST(Predict, WithNoCandidateTheArchitecturesAreThoseThePodPinsItselfTo) {
  const NodeIndex index(mixed_arch_cluster());
  const PolicyConfig config;
  const auto archs = [&](const PodScheduling& pod) {
    return predict(pod, index, config).architectures;
  };
  using Archs = std::vector<std::string>;
  // No node of that pool yet (a Karpenter pool scaled to zero).
  EXPECT_EQ(
      archs(with_selector({{"karpenter.sh/nodepool", "new"}, {"kubernetes.io/arch", "arm64"}})),
      Archs{"arm64"});
  // Required affinity: every term must name the architecture, the union of their values.
  const SelectorTerm arm{{req("kubernetes.io/arch", SelectorOp::kIn, {"arm64"}),
                          req("karpenter.sh/nodepool", SelectorOp::kIn, {"new"})},
                         {}};
  const SelectorTerm both{{req("kubernetes.io/arch", SelectorOp::kIn, {"s390x", "arm64"}),
                           req("karpenter.sh/nodepool", SelectorOp::kIn, {"new"})},
                          {}};
  const SelectorTerm any{{req("karpenter.sh/nodepool", SelectorOp::kIn, {"new"})}, {}};
  EXPECT_EQ(archs(with_terms({arm})), Archs{"arm64"});
  EXPECT_EQ(archs(with_terms({arm, both})), (Archs{"arm64", "s390x"}));
  EXPECT_TRUE(archs(with_terms({arm, any})).empty());
  const SelectorTerm not_in{{req("kubernetes.io/arch", SelectorOp::kNotIn, {"amd64"}),
                             req("karpenter.sh/nodepool", SelectorOp::kIn, {"new"})},
                            {}};
  EXPECT_TRUE(archs(with_terms({not_in})).empty());  // NotIn names what it is not: unknown
  // Fargate: the pod's selector is all there is.
  PodScheduling fargate = with_selector({{"kubernetes.io/arch", "arm64"}});
  fargate.fargate_profile_label = true;
  EXPECT_EQ(archs(fargate), Archs{"arm64"});
}

TEST(Predict, AStaticPoolTakesItsArchitectureFromItsSelector) {
  const NodeIndex index(mixed_arch_cluster());
  PolicyConfig config;
  Pool pool;
  pool.name = "graviton-spot";
  pool.selector = {{"karpenter.sh/nodepool", "graviton-spot"}, {"kubernetes.io/arch", "arm64"}};
  pool.os = NodeOs::kBottlerocket;
  config.pools.push_back(pool);
  const Prediction p =
      predict(with_selector({{"karpenter.sh/nodepool", "graviton-spot"}}), index, config);
  EXPECT_EQ(p.candidates, 1U);
  EXPECT_EQ(p.architectures, std::vector<std::string>{"arm64"});
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
