#pragma once
// A synthetic EKS cluster of any size for the inventory benchmarks: Node objects as the API
// server sends them (about 20 labels each, as on real EKS/Karpenter nodes), in pools by
// instance type and zone, plus a fixed 4-node tainted "agents" pool and ~2% Fargate nodes.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jk::bench {

inline constexpr std::size_t kAgentPoolNodes = 4;

// `count` Node objects (count >= kAgentPoolNodes); deterministic.
std::vector<nlohmann::json> synthetic_nodes(std::size_t count);
// The agent pod: nodeSelector karpenter.sh/nodepool=agents, tolerates the pool's taint.
nlohmann::json agent_pod();

}  // namespace jk::bench
