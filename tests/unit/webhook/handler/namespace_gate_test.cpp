// The namespace-aware part of a review: opt-in (defence in depth), unknown namespaces, and how
// the Pod Security verdict reaches the AdmissionReview and the skip metric.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "webhook/handler/review_handler.h"
#include "webhook/inject/namespace_gate.h"

namespace jk::handler {
namespace {

using nlohmann::json;

struct GateCase {
  std::string name;
  std::optional<policy::Labels> labels;  // nullopt: not in the inventory
  bool skip;
  bool check_pod_security;
  std::vector<std::string> warnings;
};

class Gate : public testing::TestWithParam<GateCase> {};

TEST_P(Gate, OptInDecidesAndUnknownProceedsWithAWarning) {
  const GateCase& c = GetParam();
  const inject::NamespaceGate g = inject::gate_namespace("team-a", c.labels ? &*c.labels : nullptr);
  EXPECT_EQ(g.skip, c.skip);
  EXPECT_EQ(g.check_pod_security, c.check_pod_security);
  EXPECT_EQ(g.warnings, c.warnings);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Gate,
    testing::Values(
        GateCase{"opted_in", policy::Labels{{"jailkeeper.io/inject", "enabled"}}, false, true, {}},
        GateCase{"no_label",
                 policy::Labels{},
                 true,
                 false,
                 {"jailkeeper: namespace \"team-a\" lacks jailkeeper.io/inject=enabled; pod left "
                  "unchanged"}},
        GateCase{"disabled",
                 policy::Labels{{"jailkeeper.io/inject", "disabled"}},
                 true,
                 false,
                 {"jailkeeper: namespace \"team-a\" lacks jailkeeper.io/inject=enabled; pod left "
                  "unchanged"}},
        GateCase{"unknown",
                 std::nullopt,
                 false,
                 false,
                 {"jailkeeper: namespace \"team-a\" not in the inventory yet; opt-in and Pod "
                  "Security not checked"}}),
    [](const auto& param_info) { return param_info.param.name; });

std::vector<policy::Node> one_al_node() {
  policy::Node n;
  n.name = "al";
  n.os = policy::NodeOs::kAmazonLinux;
  n.kernel = policy::KernelVersion{6, 1, 0};  // no Landlock ABI 4: landjail cannot stand in
  return {n};
}

policy::Namespace ns(std::string name, policy::Labels labels) {
  return policy::Namespace{std::move(name), std::move(labels)};
}

class NamespaceReviews : public testing::Test {
 protected:
  NamespaceReviews()
      : snapshot_{std::make_shared<const policy::PolicyConfig>(),
                  std::make_shared<const policy::NodeIndex>(one_al_node()),
                  std::make_shared<const policy::NamespaceIndex>(std::vector<policy::Namespace>{
                      ns("agents", {{"jailkeeper.io/inject", "enabled"}}), ns("legacy", {}),
                      ns("strict", {{"jailkeeper.io/inject", "enabled"},
                                    {"pod-security.kubernetes.io/enforce", "baseline"}})})},
        handler_([this] { return snapshot_; }, registry_) {
    log::set_sink([](std::string_view) {});
  }
  ~NamespaceReviews() override { log::set_sink(nullptr); }

  json post(const std::string& namespace_name, json pod_security_context = nullptr) {
    json pod = {
        {"metadata", {{"name", "agent-1"}, {"namespace", namespace_name}}},
        {"spec", {{"containers", {{{"name", "agent"}, {"image", "a:1"}, {"command", {"a"}}}}}}}};
    if (!pod_security_context.is_null()) pod["spec"]["securityContext"] = pod_security_context;
    const json review = {{"apiVersion", "admission.k8s.io/v1"},
                         {"kind", "AdmissionReview"},
                         {"request",
                          {{"uid", "u1"},
                           {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}},
                           {"operation", "CREATE"},
                           {"namespace", namespace_name},
                           {"name", "agent-1"},
                           {"object", pod}}}};
    const server::HttpResponse r =
        handler_.handle({"POST", "/mutate", "application/json", review.dump()});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body)["response"];
  }

  metrics::Registry registry_;
  inject::Snapshot snapshot_;
  ReviewHandler handler_;
};

TEST_F(NamespaceReviews, OptedInNamespaceIsPatched) {
  const json r = post("agents");
  EXPECT_TRUE(r["allowed"].get<bool>());
  EXPECT_TRUE(r.contains("patch"));
}

TEST_F(NamespaceReviews, NotOptedInIsAllowedUnchangedWithAWarningAndCounted) {
  const json r = post("legacy");
  EXPECT_TRUE(r["allowed"].get<bool>());
  EXPECT_FALSE(r.contains("patch"));
  ASSERT_EQ(r["warnings"].size(), 1u);
  EXPECT_NE(r["warnings"][0].get<std::string>().find("jailkeeper.io/inject=enabled"),
            std::string::npos);
  EXPECT_NE(registry_.render().find(R"(jailkeeper_skips_total{reason="namespace-not-opted-in"} 1)"),
            std::string::npos)
      << registry_.render();
}

TEST_F(NamespaceReviews, BaselineNamespaceAdmitsAPodWhoseJailNeedsNoGrant) {
  const json r = post("strict");  // Amazon Linux, user namespaces, no seccomp: nothing to add
  EXPECT_TRUE(r["allowed"].get<bool>());
  EXPECT_TRUE(r.contains("patch"));
}

TEST_F(NamespaceReviews, BaselineNamespaceDeniesAGrantItForbidsWithTheLabelInTheMessage) {
  // RuntimeDefault: nsjail needs SYS_ADMIN (or Unconfined), seccompjail SYS_PTRACE (or
  // Unconfined), landjail a newer kernel: baseline forbids all of it.
  const json r = post("strict", {{"seccompProfile", {{"type", "RuntimeDefault"}}}});
  EXPECT_FALSE(r["allowed"].get<bool>());
  EXPECT_EQ(r["status"]["code"], 403);
  EXPECT_NE(
      r["status"]["message"].get<std::string>().find("pod-security.kubernetes.io/enforce=baseline"),
      std::string::npos);
}

TEST_F(NamespaceReviews, UnknownNamespaceIsPatchedWithAWarning) {
  const json r = post("brand-new");
  EXPECT_TRUE(r["allowed"].get<bool>());
  EXPECT_TRUE(r.contains("patch"));
  ASSERT_GE(r["warnings"].size(), 1u);
  EXPECT_NE(r["warnings"][0].get<std::string>().find("not in the inventory"), std::string::npos);
}

}  // namespace
}  // namespace jk::handler
