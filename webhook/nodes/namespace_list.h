#pragma once
// Decodes Namespace JSON into nodes::Namespace (name + labels).
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/result.h"
#include "webhook/nodes/namespace_index.h"

namespace jk::nodes {

// One Namespace object (a list item or a watch event); `path` prefixes errors.
Result<Namespace> decode_namespace(const nlohmann::json& ns, const std::string& path);
Result<Namespace> decode_namespace(const nlohmann::json& ns);

}  // namespace jk::nodes
