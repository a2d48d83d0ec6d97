#include "webhook/audit/cluster.h"

#include <gtest/gtest.h>

#include "tests/unit/webhook/audit/audit_fixture.h"

namespace jk::audit {
namespace {

using nlohmann::json;

PodView pod_in(const std::string& ns, const std::string& name, const std::string& node = "") {
  json pod = testing::golden_pod("amazon-linux-nodegroup");
  pod["metadata"]["namespace"] = ns;
  pod["metadata"]["name"] = name;
  if (!node.empty()) pod["spec"]["nodeName"] = node;
  return decode_pod(pod);
}

PodView unpatched_in(const std::string& ns, const std::string& name) {
  PodView p = pod_in(ns, name);
  p.status.reset();
  return p;
}

TEST(Cluster, NamespaceOptInIsTheLabel) {
  EXPECT_TRUE(namespace_opted_in(
      json::parse(R"({"metadata":{"labels":{"jailkeeper.io/inject":"enabled"}}})")));
  EXPECT_FALSE(namespace_opted_in(
      json::parse(R"({"metadata":{"labels":{"jailkeeper.io/inject":"disabled"}}})")));
  EXPECT_FALSE(namespace_opted_in(json::parse(R"({"metadata":{"labels":{}}})")));
  EXPECT_FALSE(
      namespace_opted_in(json::parse(R"({"metadata":{"labels":{"jailkeeper.io/inject":true}}})")));
  EXPECT_FALSE(namespace_opted_in(json::parse("[]")));
}

TEST(Cluster, RowsAreSortedAndEachPodFindsItsNodeAndNamespace) {
  Cluster c;
  const policy::Node br = testing::fixture_node("bottlerocket.json");
  const policy::Node al = testing::fixture_node("al2023.json");
  c.nodes.emplace(br.name, br);
  c.nodes.emplace(al.name, al);
  c.namespaces = {
      {"agents", true}, {"plain", false}, {"kube-system", false}, {"jailkeeper", false}};
  c.webhook_namespace = "jailkeeper";
  c.pods = {pod_in("agents", "z-drift", br.name),
            pod_in("agents", "a-ok", al.name),
            unpatched_in("plain", "p"),
            unpatched_in("kube-system", "coredns"),
            unpatched_in("jailkeeper", "webhook"),
            unpatched_in("agents", "m-unpatched"),
            unpatched_in("unlisted", "u")};
  const auto rows = audit_cluster(c);
  std::vector<std::string> got;
  for (const auto& r : rows)
    got.push_back(r.namespace_name + "/" + r.pod + " " + std::string(verdict_name(r.verdict)) +
                  " " + r.reason);
  EXPECT_EQ(got,
            (std::vector<std::string>{
                "agents/a-ok OK ",
                "agents/m-unpatched UNPATCHED no jailkeeper.io/status annotation (created "
                "while the webhook was unavailable?)",
                "agents/z-drift DRIFT predicted amazon-linux, runs on bottlerocket: nsjail: "
                "RuntimeDefault seccomp blocks the jail's namespaces (clone with "
                "CLONE_NEWUSER/NEWNET/NEWNS/NEWPID, mount) (needs seccomp Unconfined or "
                "SYS_ADMIN) (and no recorded fallback starts there either)",
                "jailkeeper/webhook SKIPPED webhook-namespace",
                "kube-system/coredns SKIPPED skipped-namespace",
                "plain/p SKIPPED namespace-not-opted-in (no label jailkeeper.io/inject=enabled)",
                "unlisted/u SKIPPED namespace-not-opted-in (no label jailkeeper.io/inject=enabled)",
            }));
}

}  // namespace
}  // namespace jk::audit
