#include "webhook/audit/verdict.h"

#include <functional>
#include <optional>

#include <gtest/gtest.h>

#include "tests/unit/webhook/audit/audit_fixture.h"

namespace jk::audit {
namespace {

using nlohmann::json;
using Edit = std::function<void(json&)>;

constexpr const char* kPending = "";
constexpr const char* kNodeGone = "gone";

// A specification line: this patched pod (golden fixture), edited so, on that node, in that
// namespace, gets this verdict with a reason that says this.
struct Case {
  const char* name;
  const char* golden;  // tests/fixtures/golden/<golden>/expected-pod.json
  const char* node;    // tests/fixtures/nodes/<node>; kPending: unscheduled; kNodeGone: not listed
  Edit edit;
  Verdict verdict;
  const char* reason;  // substring of the reason ("" = the reason is empty)
  bool opted_in = true;
  std::optional<std::string> namespace_skip = std::nullopt;
};

void no_edit(json&) {}
json& agent(json& pod) { return pod["spec"]["containers"][0]; }
Edit drop_status = [](json& pod) { pod["metadata"]["annotations"].erase("jailkeeper.io/status"); };
Edit unpatched(Edit more) {
  return [more](json& pod) {
    drop_status(pod);
    more(pod);
  };
}
Edit record(const char* field, json value) {
  return [field, value](json& pod) {
    json s = testing::status_of(pod);
    s[field] = value;
    testing::set_status(pod, s);
  };
}
Edit both(Edit a, Edit b) {
  return [a, b](json& pod) {
    a(pod);
    b(pod);
  };
}
// A second, unjailed container: sidecars are not the webhook's business.
Edit add_sidecar = [](json& pod) {
  pod["spec"]["containers"].push_back({{"name", "sidecar"}, {"image", "envoy"}});
};
// A second jailed container, patched the same way as the first.
Edit add_second_jailed = [](json& pod) {
  json second = agent(pod);
  second["name"] = "helper";
  pod["spec"]["containers"].push_back(second);
  json s = testing::status_of(pod);
  s["containers"].push_back("helper");
  testing::set_status(pod, s);
};

const Case kCases[] = {
    // OK
    {"patched and on the predicted OS", "amazon-linux-nodegroup", "al2023.json", no_edit,
     Verdict::kOk, ""},
    {"bottlerocket option A on bottlerocket", "bottlerocket-karpenter", "bottlerocket.json",
     no_edit, Verdict::kOk, ""},
    {"bottlerocket option B on bottlerocket", "bottlerocket-option-b", "bottlerocket.json", no_edit,
     Verdict::kOk, ""},
    {"EKS Auto Mode grant on an Auto Mode node", "eks-auto-mode", "eks-auto.json", no_edit,
     Verdict::kOk, ""},
    {"OS differs but the grant works there too", "bottlerocket-karpenter", "al2023.json", no_edit,
     Verdict::kOk, "predicted bottlerocket, runs on amazon-linux (the grant works there too)"},
    {"mixed prediction, runs on one of the candidates", "mixed-union", "al2.json", no_edit,
     Verdict::kOk, ""},
    {"mixed prediction, bottlerocket-no-userns candidate on Auto Mode", "mixed-union",
     "eks-auto.json", no_edit, Verdict::kOk, ""},
    {"pending: judged by the status only", "amazon-linux-nodegroup", kPending, no_edit,
     Verdict::kOk, "pending: checked against the status only"},
    {"node no longer listed: judged by the status only", "amazon-linux-nodegroup", kNodeGone,
     no_edit, Verdict::kOk, "node ip-x not found"},
    {"CAP_ prefixed capability counts", "eks-auto-mode", "eks-auto.json",
     [](json& pod) {
       agent(pod)["securityContext"]["capabilities"]["add"] = {"CAP_NET_ADMIN", "cap_sys_admin"};
     },
     Verdict::kOk, ""},
    {"pod-level seccomp Unconfined applies to the container", "bottlerocket-karpenter",
     "bottlerocket.json",
     [](json& pod) {
       agent(pod)["securityContext"].erase("seccompProfile");
       pod["spec"]["securityContext"]["seccompProfile"] = {{"type", "Unconfined"}};
     },
     Verdict::kOk, ""},
    {"container recorded as unwrapped needs no wrap, but the reason says it runs unjailed",
     "no-command-warns", "al2023.json", no_edit, Verdict::kOk,
     "runs unjailed: no command to wrap (set jailkeeper.io/entrypoint)"},
    {"unjailed sidecar is ignored", "amazon-linux-nodegroup", "al2023.json", add_sidecar,
     Verdict::kOk, ""},
    {"two jailed containers intact", "amazon-linux-nodegroup", "al2023.json", add_second_jailed,
     Verdict::kOk, ""},
    // UNPATCHED
    {"opted-in namespace, no status", "amazon-linux-nodegroup", "al2023.json", drop_status,
     Verdict::kUnpatched, "no jailkeeper.io/status annotation"},
    {"pending, no status", "amazon-linux-nodegroup", kPending, drop_status, Verdict::kUnpatched,
     "no jailkeeper.io/status"},
    // SKIPPED, with the handler's reasons
    {"hostNetwork", "amazon-linux-nodegroup", "al2023.json",
     unpatched([](json& pod) { pod["spec"]["hostNetwork"] = true; }), Verdict::kSkipped,
     "hostNetwork"},
    {"mirror pod", "amazon-linux-nodegroup", "al2023.json", unpatched([](json& pod) {
       pod["metadata"]["annotations"]["kubernetes.io/config.mirror"] = "abc";
     }),
     Verdict::kSkipped, "mirror-pod"},
    {"opt-out label", "amazon-linux-nodegroup", "al2023.json",
     unpatched([](json& pod) { pod["metadata"]["labels"]["jailkeeper.io/inject"] = "disabled"; }),
     Verdict::kSkipped, "opted-out"},
    {"kube-system", "amazon-linux-nodegroup", "al2023.json", drop_status, Verdict::kSkipped,
     "skipped-namespace", true, "skipped-namespace"},
    {"namespace-not-opted-in", "amazon-linux-nodegroup", "al2023.json", drop_status,
     Verdict::kSkipped, "namespace-not-opted-in", false},
    {"no containers", "amazon-linux-nodegroup", "al2023.json",
     unpatched([](json& pod) { pod["spec"]["containers"] = json::array(); }), Verdict::kSkipped,
     "no-containers"},
    // DRIFT
    {"predicted Amazon Linux, landed on Bottlerocket", "amazon-linux-nodegroup",
     "bottlerocket.json", no_edit, Verdict::kDrift,
     "predicted amazon-linux, runs on bottlerocket: nsjail: RuntimeDefault seccomp blocks the "
     "jail's namespaces"},
    {"predicted Bottlerocket, landed on Auto Mode, the recorded fallback starts there",
     "bottlerocket-karpenter", "eks-auto.json", no_edit, Verdict::kOk, ""},
    {"predicted Bottlerocket with user namespaces, landed on Auto Mode, no fallback",
     "bottlerocket-karpenter", "eks-auto.json", record("fallback", json::array()), Verdict::kDrift,
     "needs SYS_ADMIN: creates the jail's namespaces (no user namespace"},
    {"predicted Amazon Linux, landed on Fargate: seccompjail, the fallback, starts there",
     "amazon-linux-nodegroup", "fargate.json", no_edit, Verdict::kOk,
     "predicted amazon-linux, runs on fargate (the grant works there too)"},
    {"predicted Amazon Linux, landed on Fargate, no fallback", "amazon-linux-nodegroup",
     "fargate.json", record("fallback", json::array()), Verdict::kDrift,
     "predicted amazon-linux, runs on fargate: nsjail: needs SYS_ADMIN"},
    {"landjail on a kernel below 6.7, seccompjail fallback", "fargate-scheduler", "fargate.json",
     both(record("jail", "landjail"), record("fallback", json::array({"seccompjail"}))),
     Verdict::kOk, ""},
    {"landjail on a kernel below 6.7, no fallback", "fargate-scheduler", "fargate.json",
     record("jail", "landjail"), Verdict::kDrift,
     "landjail: landjail (Landlock ABI 4) needs Linux >= 6.7.0, kernel 5.10.233"},
    // The recorded grant cannot work for the pod's own shape (issue 12): e.g. written by an older
    // webhook that granted NET_ADMIN whatever the pod's seccomp.
    {"recorded grant does not lift the pod's RuntimeDefault", "amazon-linux-nodegroup",
     "al2023.json",
     both(record("fallback", json::array()),
          [](json& pod) {
            pod["spec"]["securityContext"]["seccompProfile"] = {{"type", "RuntimeDefault"}};
          }),
     Verdict::kDrift,
     "nsjail: RuntimeDefault seccomp blocks the jail's namespaces (clone with CLONE_NEWUSER/"
     "NEWNET/NEWNS/NEWPID, mount) (needs seccomp Unconfined or SYS_ADMIN)"},
    {"non-root container on Auto Mode with the old NET_ADMIN + SYS_ADMIN grant", "eks-auto-mode",
     "eks-auto.json",
     both(record("fallback", json::array()),
          [](json& pod) { agent(pod)["securityContext"]["runAsUser"] = 1000; }),
     Verdict::kDrift, "a non-root container never holds capabilities"},
    {"recorded unknown, now scheduled", "unknown-selector", "al2023.json", no_edit, Verdict::kDrift,
     "admitted with no node known"},
    {"recorded unknown, still pending", "unknown-selector", kPending, no_edit, Verdict::kDrift,
     "admitted with no node known (nodeOS unknown): the grant was not chosen for this node; "
     "pending"},
    // TAMPERED
    {"capability removed", "eks-auto-mode", "eks-auto.json",
     [](json& pod) { agent(pod)["securityContext"]["capabilities"]["add"] = json::array(); },
     Verdict::kTampered,
     "agent: capability NET_ADMIN missing; agent: capability SYS_ADMIN missing"},
    {"capability removed, record without per-container grants (older webhook)", "eks-auto-mode",
     "eks-auto.json",
     [](json& pod) {
       json s = testing::status_of(pod);
       s.erase("grants");
       testing::set_status(pod, s);
       agent(pod)["securityContext"]["capabilities"]["add"] = {"SYS_ADMIN"};
     },
     Verdict::kTampered, "agent: capability NET_ADMIN missing"},
    {"seccomp changed back", "bottlerocket-karpenter", "bottlerocket.json",
     [](json& pod) {
       agent(pod)["securityContext"]["seccompProfile"] = {{"type", "RuntimeDefault"}};
     },
     Verdict::kTampered, "agent: seccompProfile is RuntimeDefault, status says Unconfined"},
    {"seccomp removed", "bottlerocket-karpenter", "bottlerocket.json",
     [](json& pod) { agent(pod)["securityContext"].erase("seccompProfile"); }, Verdict::kTampered,
     "agent: seccompProfile is unset"},
    {"command unwrapped", "amazon-linux-nodegroup", "al2023.json",
     [](json& pod) { agent(pod)["command"] = {"claude"}; }, Verdict::kTampered,
     "agent: command not wrapped by /jailkeeper/bin/jailkeeper-launch"},
    {"command emptied", "amazon-linux-nodegroup", "al2023.json",
     [](json& pod) { agent(pod).erase("command"); }, Verdict::kTampered,
     "agent: command not wrapped"},
    {"JAILKEEPER_SPEC removed", "amazon-linux-nodegroup", "al2023.json",
     [](json& pod) { agent(pod)["env"] = json::array(); }, Verdict::kTampered,
     "agent: env JAILKEEPER_SPEC missing"},
    {"launcher init container removed", "amazon-linux-nodegroup", "al2023.json",
     [](json& pod) { pod["spec"].erase("initContainers"); }, Verdict::kTampered,
     "init container jailkeeper-init missing"},
    {"jailed container renamed", "amazon-linux-nodegroup", "al2023.json",
     [](json& pod) { agent(pod)["name"] = "other"; }, Verdict::kTampered,
     "jailed container agent is gone"},
    {"status unreadable", "amazon-linux-nodegroup", "al2023.json",
     [](json& pod) { pod["metadata"]["annotations"]["jailkeeper.io/status"] = "{oops"; },
     Verdict::kTampered, "jailkeeper.io/status unreadable: not a JSON object"},
    {"second jailed container tampered", "amazon-linux-nodegroup", "al2023.json",
     both(add_second_jailed,
          [](json& pod) { pod["spec"]["containers"][1]["command"] = {"helper-bin"}; }),
     Verdict::kTampered, "helper: command not wrapped"},
    {"an init container with the jailed name does not stand in for it", "amazon-linux-nodegroup",
     "al2023.json",
     [](json& pod) {
       json copy = agent(pod);
       pod["spec"]["initContainers"].push_back(copy);
       agent(pod)["name"] = "renamed";
     },
     Verdict::kTampered, "jailed container agent is gone"},
    {"tampering is reported before drift", "amazon-linux-nodegroup", "bottlerocket.json",
     [](json& pod) { agent(pod)["command"] = {"claude"}; }, Verdict::kTampered,
     "agent: command not wrapped"},
    {"every finding is listed", "amazon-linux-nodegroup", "al2023.json",
     [](json& pod) {
       agent(pod)["command"] = {"claude"};
       agent(pod)["env"] = json::array();
     },
     Verdict::kTampered,
     "agent: command not wrapped by /jailkeeper/bin/jailkeeper-launch; agent: env"},
};

class VerdictTable : public ::testing::TestWithParam<Case> {};

TEST_P(VerdictTable, Verdict) {
  const Case& c = GetParam();
  json pod = testing::golden_pod(c.golden);
  std::optional<policy::Node> node;
  if (std::string(c.node) == kNodeGone) {
    pod["spec"]["nodeName"] = "ip-x";
  } else if (std::string(c.node) != kPending) {
    node = testing::fixture_node(c.node);
    pod["spec"]["nodeName"] = node->name;
  }
  c.edit(pod);
  PodContext ctx;
  ctx.node = node ? &*node : nullptr;
  ctx.namespace_opted_in = c.opted_in;
  ctx.namespace_skip = c.namespace_skip;
  const AuditRow row = evaluate(decode_pod(pod), ctx);
  EXPECT_EQ(verdict_name(row.verdict), verdict_name(c.verdict)) << row.reason;
  if (std::string(c.reason).empty()) {
    EXPECT_EQ(row.reason, "");
  } else {
    EXPECT_NE(row.reason.find(c.reason), std::string::npos) << row.reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Spec, VerdictTable, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           std::string name;
                           for (const char* c = p.param.name; *c != '\0'; ++c) {
                             name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
                           }
                           return name;
                         });

// The kernel decides for landjail and seccompjail: a Fargate node with a given kernel.
AuditRow on_fargate_kernel(const char* jail, policy::KernelVersion kernel) {
  json pod = testing::golden_pod("fargate-scheduler");
  policy::Node node = testing::fixture_node("fargate.json");
  node.kernel = kernel;
  pod["spec"]["nodeName"] = node.name;
  record("jail", jail)(pod);
  record("fallback", json::array())(pod);
  PodContext ctx;
  ctx.node = &node;
  return evaluate(decode_pod(pod), ctx);
}

TEST(Verdict, LandjailNeedsLinux67) {
  EXPECT_EQ(on_fargate_kernel("landjail", {6, 7, 0}).verdict, Verdict::kOk);
  EXPECT_EQ(on_fargate_kernel("landjail", {6, 12, 55}).verdict, Verdict::kOk);
  const AuditRow old = on_fargate_kernel("landjail", {6, 6, 99});
  EXPECT_EQ(old.verdict, Verdict::kDrift);
  EXPECT_EQ(old.reason, "landjail: landjail (Landlock ABI 4) needs Linux >= 6.7.0, kernel 6.6.99");
}

TEST(Verdict, SeccompjailNeedsLinux59) {
  EXPECT_EQ(on_fargate_kernel("seccompjail", {5, 9, 0}).verdict, Verdict::kOk);
  const AuditRow old = on_fargate_kernel("seccompjail", {5, 4, 0});
  EXPECT_EQ(old.verdict, Verdict::kDrift);
  EXPECT_EQ(old.reason,
            "seccompjail: seccompjail (seccomp ADDFD) needs Linux >= 5.9.0, kernel 5.4.0");
}

TEST(Verdict, RowCarriesNodeFactsAndRecord) {
  json pod = testing::golden_pod("amazon-linux-nodegroup");
  const policy::Node node = testing::fixture_node("bottlerocket.json");
  pod["spec"]["nodeName"] = node.name;
  PodContext ctx;
  ctx.node = &node;
  const AuditRow row = evaluate(decode_pod(pod), ctx);
  EXPECT_EQ(row.namespace_name, "agents");
  EXPECT_EQ(row.pod, "agent-1");
  EXPECT_EQ(row.node, node.name);
  EXPECT_EQ(row.node_os, "bottlerocket");
  EXPECT_EQ(row.kernel, "6.1.119");
  EXPECT_EQ(row.recorded_os, "amazon-linux");
  EXPECT_EQ(row.jail, "nsjail");
}

TEST(Verdict, KernelIsShownWithoutTheDistributionSuffix) {
  json pod = testing::golden_pod("amazon-linux-nodegroup");
  const policy::Node node = testing::fixture_node("al2023.json");
  pod["spec"]["nodeName"] = node.name;
  PodContext ctx;
  ctx.node = &node;
  EXPECT_EQ(evaluate(decode_pod(pod), ctx).kernel, "6.1.119");
}

TEST(Verdict, PendingPodShowsPendingAsNode) {
  const AuditRow row =
      evaluate(decode_pod(testing::golden_pod("amazon-linux-nodegroup")), PodContext{});
  EXPECT_EQ(row.node, "pending");
  EXPECT_EQ(row.node_os, "");
}

TEST(Verdict, NodeNotFoundShowsQuestionMark) {
  json pod = testing::golden_pod("amazon-linux-nodegroup");
  pod["spec"]["nodeName"] = "gone";
  EXPECT_EQ(evaluate(decode_pod(pod), PodContext{}).node_os, "?");
}

}  // namespace
}  // namespace jk::audit
