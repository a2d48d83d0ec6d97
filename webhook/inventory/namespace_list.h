#pragma once
// Decodes Namespace JSON into policy::Namespace (name + labels).
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/result.h"
#include "webhook/policy/namespace_index.h"

namespace jk::inventory {

// One Namespace object (a list item or a watch event); `path` prefixes errors.
Result<policy::Namespace> decode_namespace(const nlohmann::json& ns, const std::string& path);
Result<policy::Namespace> decode_namespace(const nlohmann::json& ns);

}  // namespace jk::inventory
