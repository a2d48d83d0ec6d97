#pragma once
// Decodes Node / NodeList JSON into policy::Node values. Tolerant of missing optional fields
// (odd nodes still classify as `other`), strict about wrong types (an error names the path).
#include <nlohmann/json_fwd.hpp>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "webhook/policy/node.h"

namespace jk::nodes {

Result<std::vector<policy::Node>> decode_node_list(std::string_view json);

// One Node object (e.g. from a watch event).
Result<policy::Node> decode_node(const nlohmann::json& node);

}  // namespace jk::nodes
