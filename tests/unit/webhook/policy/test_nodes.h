#pragma once
// Small node builders for policy table tests.
#include <string>
#include <vector>

#include "webhook/policy/node.h"

namespace jk::policy::testing_nodes {

inline Node node(std::string name, NodeOs os, Labels labels, std::string kernel = "6.1.119",
                 std::vector<Taint> taints = {}, bool userns_off = false) {
  Node n;
  n.name = std::move(name);
  n.os = os;
  n.labels = std::move(labels);
  n.kernel = parse_kernel(kernel);
  n.taints = std::move(taints);
  n.user_namespaces_off = userns_off;
  return n;
}

// A small EKS cluster: two AL2023 nodes, one Bottlerocket (Karpenter), one Auto Mode, one Fargate.
inline std::vector<Node> cluster() {
  return {
      node("al-1", NodeOs::kAmazonLinux,
           {{"eks.amazonaws.com/nodegroup", "general"}, {"zone", "a"}, {"gpu-count", "0"}}),
      node("al-2", NodeOs::kAmazonLinux,
           {{"eks.amazonaws.com/nodegroup", "general"}, {"zone", "b"}, {"gpu-count", "4"}}),
      node("br-1", NodeOs::kBottlerocket,
           {{"karpenter.sh/nodepool", "bottlerocket"}, {"zone", "a"}}, "6.1.119",
           {{"dedicated", "agents", "NoSchedule"}}),
      node("auto-1", NodeOs::kBottlerocket,
           {{"eks.amazonaws.com/compute-type", "auto"}, {"zone", "c"}}, "6.12.55", {}, true),
      node("fargate-ip-10-0-1-1", NodeOs::kFargate,
           {{"eks.amazonaws.com/compute-type", "fargate"}, {"zone", "a"}},
           "5.10.234-225.910.amzn2.x86_64",
           {{"eks.amazonaws.com/compute-type", "fargate", "NoSchedule"}}),
  };
}

}  // namespace jk::policy::testing_nodes
