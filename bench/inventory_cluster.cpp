#include "bench/inventory_cluster.h"

#include <array>
#include <string_view>

namespace jk::bench {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> kTypes = {"m6i.2xlarge", "m6i.4xlarge", "c6i.4xlarge",
                                                    "r6i.2xlarge"};
constexpr std::array<std::string_view, 3> kZones = {"us-east-1a", "us-east-1b", "us-east-1c"};
constexpr std::size_t kFargateEvery = 50;      // ~2% of nodes are Fargate pods
constexpr std::size_t kBottlerocketEvery = 3;  // a third of EC2 nodes run Bottlerocket

json ec2_node(std::size_t i, std::string_view pool, bool bottlerocket) {
  const std::string name =
      "ip-10-0-" + std::to_string(i / 250) + "-" + std::to_string(i % 250) + ".ec2.internal";
  const std::string_view type = kTypes[i % kTypes.size()];
  const std::string_view zone = kZones[i % kZones.size()];
  json labels = {{"kubernetes.io/hostname", name},
                 {"kubernetes.io/arch", "amd64"},
                 {"kubernetes.io/os", "linux"},
                 {"beta.kubernetes.io/arch", "amd64"},
                 {"beta.kubernetes.io/os", "linux"},
                 {"beta.kubernetes.io/instance-type", type},
                 {"node.kubernetes.io/instance-type", type},
                 {"failure-domain.beta.kubernetes.io/region", "us-east-1"},
                 {"failure-domain.beta.kubernetes.io/zone", zone},
                 {"topology.kubernetes.io/region", "us-east-1"},
                 {"topology.kubernetes.io/zone", zone},
                 {"topology.k8s.aws/zone-id", "use1-az" + std::to_string(i % kZones.size() + 1)},
                 {"karpenter.sh/nodepool", pool},
                 {"karpenter.sh/capacity-type", i % 2 == 0 ? "on-demand" : "spot"},
                 {"karpenter.k8s.aws/instance-family", type.substr(0, type.find('.'))},
                 {"karpenter.k8s.aws/instance-size", type.substr(type.find('.') + 1)},
                 {"karpenter.k8s.aws/instance-cpu", "8"},
                 {"karpenter.k8s.aws/instance-memory", "32768"},
                 {"karpenter.sh/initialized", "true"},
                 {"karpenter.sh/registered", "true"}};
  json node = {
      {"metadata", {{"name", name}, {"labels", labels}}},
      {"spec", {{"providerID", "aws:///" + std::string(zone) + "/i-0" + std::to_string(i)}}},
      {"status",
       {{"nodeInfo",
         {{"osImage",
           bottlerocket ? "Bottlerocket OS 1.26.2 (aws-k8s-1.31)" : "Amazon Linux 2023.6.20250115"},
          {"kernelVersion", bottlerocket ? "6.1.119" : "6.1.159-181.297.amzn2023.x86_64"}}}}}};
  if (pool == "agents") {
    node["spec"]["taints"] = {
        {{"key", "jailkeeper.io/agents"}, {"value", "true"}, {"effect", "NoSchedule"}}};
  }
  return node;
}

json fargate_node(std::size_t i) {
  const std::string name = "fargate-ip-10-1-" + std::to_string(i / 250) + "-" +
                           std::to_string(i % 250) + ".ec2.internal";
  return {
      {"metadata",
       {{"name", name},
        {"labels",
         {{"kubernetes.io/hostname", name},
          {"eks.amazonaws.com/compute-type", "fargate"},
          {"eks.amazonaws.com/fargate-profile", "jobs"},
          {"topology.kubernetes.io/zone", kZones[i % kZones.size()]},
          {"topology.kubernetes.io/region", "us-east-1"}}}}},
      {"spec",
       {{"taints",
         {{{"key", "eks.amazonaws.com/compute-type"},
           {"value", "fargate"},
           {"effect", "NoSchedule"}}}}}},
      {"status",
       {{"nodeInfo",
         {{"osImage", "Amazon Linux 2"}, {"kernelVersion", "5.10.234-225.910.amzn2.x86_64"}}}}}};
}

}  // namespace

std::vector<json> synthetic_nodes(std::size_t count) {
  std::vector<json> nodes;
  nodes.reserve(count);
  for (std::size_t i = 0; i < kAgentPoolNodes; ++i) nodes.push_back(ec2_node(i, "agents", false));
  for (std::size_t i = kAgentPoolNodes; i < count; ++i) {
    if (i % kFargateEvery == 0) {
      nodes.push_back(fargate_node(i));
    } else {
      const bool br = i % kBottlerocketEvery == 0;
      nodes.push_back(ec2_node(i, br ? "batch" : "general", br));
    }
  }
  return nodes;
}

json agent_pod() {
  return json::parse(R"({"apiVersion":"v1","kind":"Pod",
    "metadata":{"generateName":"agent-","namespace":"agents","labels":{"app":"coding-agent"}},
    "spec":{"nodeSelector":{"karpenter.sh/nodepool":"agents"},
      "tolerations":[{"key":"jailkeeper.io/agents","operator":"Equal","value":"true","effect":"NoSchedule"}],
      "containers":[{"name":"agent","image":"ghcr.io/example/agent:1.4.2","command":["claude"],
        "env":[{"name":"HOME","value":"/home/agent"}]}]}})");
}

}  // namespace jk::bench
