// VerdictTable: the continuous audit's state. The rows it reports are the rows `audit` computes
// for the same objects, and every change an operator would see is one Transition.
#include "webhook/podaudit/verdict_table.h"

#include <gtest/gtest.h>

#include "tests/unit/webhook/audit/audit_fixture.h"
#include "webhook/audit/cluster.h"

namespace jk::podaudit {
namespace {

using audit::Verdict;
using audit::testing::fixture_node;
using audit::testing::golden_pod;
using nlohmann::json;

json pod_json(const std::string& name, const std::string& ns, const std::string& node,
              const std::string& golden = "amazon-linux-nodegroup") {
  json pod = golden_pod(golden);
  pod["metadata"]["name"] = name;
  pod["metadata"]["namespace"] = ns;
  pod["metadata"]["uid"] = "uid-" + ns + "-" + name;
  if (!node.empty()) pod["spec"]["nodeName"] = node;
  return pod;
}

WatchedPod watched(const json& pod) {
  return {pod["metadata"]["uid"].get<std::string>(), audit::decode_pod(pod)};
}

policy::Namespace ns(const std::string& name, bool opted_in) {
  policy::Namespace n{name, {}};
  if (opted_in) n.labels["jailkeeper.io/inject"] = "enabled";
  return n;
}

class VerdictTableTest : public ::testing::Test {
 protected:
  VerdictTableTest() : al_(fixture_node("al2023.json")), br_(fixture_node("bottlerocket.json")) {
    set_nodes({al_, br_});
    set_namespaces({ns("agents", true), ns("plain", false), ns("kube-system", false)});
  }
  void set_nodes(std::vector<policy::Node> nodes) {
    inputs_.nodes = std::make_shared<const policy::NodeIndex>(std::move(nodes));
  }
  void set_namespaces(std::vector<policy::Namespace> namespaces) {
    inputs_.namespaces = std::make_shared<const policy::NamespaceIndex>(std::move(namespaces));
  }

  policy::Node al_;
  policy::Node br_;
  Inputs inputs_;
  VerdictTable table_{TableSettings{{"kube-system"}, "jailkeeper", policy::PolicyConfig{}}};
};

TEST_F(VerdictTableTest, RowsAreWhatAuditComputesForTheSameObjects) {
  std::vector<json> pods = {
      pod_json("ok", "agents", al_.name),          pod_json("drift", "agents", br_.name),
      pod_json("pending", "agents", ""),           pod_json("lost-node", "agents", "gone-node"),
      pod_json("unpatched", "agents", al_.name),   pod_json("plain", "plain", al_.name),
      pod_json("system", "kube-system", al_.name), pod_json("own", "jailkeeper", al_.name)};
  pods[4]["metadata"]["annotations"].erase("jailkeeper.io/status");
  std::vector<WatchedPod> watched_pods;
  audit::Cluster cluster;
  for (const auto& p : pods) {
    watched_pods.push_back(watched(p));
    cluster.pods.push_back(audit::decode_pod(p));
  }
  cluster.nodes = {{al_.name, al_}, {br_.name, br_}};
  cluster.namespaces = {{"agents", true}, {"plain", false}, {"kube-system", false}};
  cluster.skip_namespaces = {"kube-system"};
  cluster.webhook_namespace = "jailkeeper";
  table_.replace(std::move(watched_pods), inputs_);

  const auto all = audit::audit_cluster(cluster);
  const auto rows = table_.rows({"", true});
  ASSERT_EQ(rows.size(), all.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_TRUE(same_row(rows[i], all[i])) << rows[i].pod << ": " << rows[i].reason;
    EXPECT_EQ(rows[i].pod, all[i].pod);
  }
  // The default report: opted-in namespaces only; -n NS: that namespace, opted in or not.
  std::vector<std::string> names;
  for (const auto& r : table_.rows({})) names.push_back(r.pod);
  EXPECT_EQ(names, (std::vector<std::string>{"drift", "lost-node", "ok", "pending", "unpatched"}));
  ASSERT_EQ(table_.rows({"plain", false}).size(), 1U);
  EXPECT_EQ(table_.rows({"plain", false})[0].pod, "plain");
  EXPECT_EQ(table_.judged(), 5U);
}

TEST_F(VerdictTableTest, TransitionsFollowPodsNodesAndNamespaces) {
  auto t = table_.replace(
      {watched(pod_json("a", "agents", al_.name)), watched(pod_json("p", "plain", al_.name))},
      inputs_);
  ASSERT_EQ(t.size(), 1U);  // the pod of the namespace that did not opt in is not judged
  EXPECT_FALSE(t[0].before.has_value());
  EXPECT_EQ(t[0].after->verdict, Verdict::kOk);
  EXPECT_EQ(t[0].uid, "uid-agents-a");

  // The same pod again (a MODIFIED event that changes nothing the verdict reads).
  EXPECT_TRUE(table_.upsert(watched(pod_json("a", "agents", al_.name)), inputs_).empty());

  // Its node becomes Bottlerocket: DRIFT, found by rejudge without a pod event.
  policy::Node now_br = br_;
  now_br.name = al_.name;
  set_nodes({now_br, br_});
  t = table_.rejudge(inputs_);
  ASSERT_EQ(t.size(), 1U);
  EXPECT_EQ(t[0].before->verdict, Verdict::kOk);
  EXPECT_EQ(t[0].after->verdict, Verdict::kDrift);
  EXPECT_TRUE(table_.rejudge(inputs_).empty());  // same snapshot: nothing to do

  // "plain" opts in: its pod is judged now; "agents" opts out: its pod leaves.
  set_namespaces({ns("agents", false), ns("plain", true)});
  t = table_.rejudge(inputs_);
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(t[0].uid, "uid-agents-a");
  EXPECT_FALSE(t[0].after.has_value());
  EXPECT_EQ(t[1].uid, "uid-plain-p");
  EXPECT_FALSE(t[1].before.has_value());
  EXPECT_EQ(t[1].after->verdict, Verdict::kDrift);

  // Deleted, and a new pod under the same name (another uid): one leaves, one arrives.
  json again = pod_json("p", "plain", br_.name);
  again["metadata"]["uid"] = "uid-2";
  t = table_.upsert(watched(again), inputs_);
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(t[0].uid, "uid-plain-p");
  EXPECT_FALSE(t[0].after.has_value());
  EXPECT_EQ(t[1].uid, "uid-2");
  t = table_.erase("plain", "p");
  ASSERT_EQ(t.size(), 1U);
  EXPECT_FALSE(t[0].after.has_value());
  EXPECT_TRUE(table_.erase("plain", "p").empty());
}

TEST_F(VerdictTableTest, ARelistReportsPodsDeletedWhileTheWatchWasDown) {
  table_.replace(
      {watched(pod_json("a", "agents", al_.name)), watched(pod_json("b", "agents", al_.name))},
      inputs_);
  const auto t = table_.replace({watched(pod_json("a", "agents", al_.name))}, inputs_);
  ASSERT_EQ(t.size(), 1U);
  EXPECT_EQ(t[0].uid, "uid-agents-b");
  EXPECT_FALSE(t[0].after.has_value());
  EXPECT_EQ(table_.size(), 1U);
}

}  // namespace
}  // namespace jk::podaudit
