#pragma once
// Decodes Node / NodeList JSON into policy::Node values. Tolerant of missing optional fields
// (odd nodes still classify as `other`), strict about wrong types (an error names the path).
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "webhook/policy/namespace_index.h"
#include "webhook/policy/node.h"

namespace jk::inventory {

// An offline inventory file: `kubectl get nodes -o json` (NodeList), a single Node, a List
// (`kubectl get nodes,namespaces -o json`: items sorted by their kind), or
// {"nodes": [...], "namespaces": [...]}. `namespaces` is nullopt when the file has none.
struct InventoryDocument {
  std::vector<policy::Node> nodes;
  std::optional<std::vector<policy::Namespace>> namespaces;
};
Result<InventoryDocument> decode_inventory(std::string_view json);

// The nodes of such a document.
Result<std::vector<policy::Node>> decode_node_list(std::string_view json);

// One Node object (e.g. from a watch event).
Result<policy::Node> decode_node(const nlohmann::json& node);

}  // namespace jk::inventory
