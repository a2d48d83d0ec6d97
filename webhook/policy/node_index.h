#pragma once
// Nodes indexed by name and by label pair, so prediction touches only the nodes a pod's
// constraints can select, not the whole cluster.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "webhook/policy/node.h"

namespace jk::policy {

class NodeIndex {
 public:
  explicit NodeIndex(std::vector<Node> nodes);
  [[nodiscard]] const std::vector<Node>& nodes() const { return nodes_; }
  [[nodiscard]] const Node* by_name(std::string_view name) const;
  // Indices of nodes whose label `key` equals `value` (empty when none).
  [[nodiscard]] const std::vector<std::size_t>& with_label(std::string_view key,
                                                           std::string_view value) const;
  // Indices of nodes that carry label `key` with any value.
  [[nodiscard]] const std::vector<std::size_t>& with_key(std::string_view key) const;
  [[nodiscard]] std::size_t size() const { return nodes_.size(); }
  // Newest kernel among Fargate nodes (every prediction asks; kept so it costs nothing).
  [[nodiscard]] const std::optional<KernelVersion>& max_fargate_kernel() const {
    return max_fargate_kernel_;
  }

 private:
  std::vector<Node> nodes_;
  std::unordered_map<std::string, std::size_t> by_name_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_label_;  // "key\0value"
  std::unordered_map<std::string, std::vector<std::size_t>> by_key_;
  std::optional<KernelVersion> max_fargate_kernel_;
};

}  // namespace jk::policy
