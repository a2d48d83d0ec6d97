#include "webhook/policy/node_index.h"

namespace jk::policy {
namespace {

std::string label_key(std::string_view key, std::string_view value) {
  std::string k;
  k.reserve(key.size() + 1 + value.size());
  k.append(key);
  k.push_back('\0');  // label keys and values cannot contain NUL
  k.append(value);
  return k;
}

const std::vector<std::size_t> kEmpty;

}  // namespace

NodeIndex::NodeIndex(std::vector<Node> nodes) : nodes_(std::move(nodes)) {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    if (!n.is_static_pool) by_name_.emplace(n.name, i);
    if (n.os == NodeOs::kFargate && n.kernel &&
        (!max_fargate_kernel_ || *max_fargate_kernel_ < *n.kernel)) {
      max_fargate_kernel_ = n.kernel;
    }
    for (const auto& [k, v] : n.labels) {
      by_label_[label_key(k, v)].push_back(i);
      by_key_[k].push_back(i);
    }
  }
}

const Node* NodeIndex::by_name(std::string_view name) const {
  const auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &nodes_[it->second];
}

const std::vector<std::size_t>& NodeIndex::with_label(std::string_view key,
                                                      std::string_view value) const {
  const auto it = by_label_.find(label_key(key, value));
  return it == by_label_.end() ? kEmpty : it->second;
}

const std::vector<std::size_t>& NodeIndex::with_key(std::string_view key) const {
  const auto it = by_key_.find(std::string(key));
  return it == by_key_.end() ? kEmpty : it->second;
}

}  // namespace jk::policy
