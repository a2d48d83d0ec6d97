#pragma once
// Field readers shared by the Node and Namespace decoders: tolerant of missing fields, strict
// about wrong types (the error names the path).
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "webhook/policy/node.h"

namespace jk::inventory {

Result<std::string> optional_string(const nlohmann::json& obj, const char* key,
                                    const std::string& path);
// metadata.labels (absent or null: none).
Result<policy::Labels> decode_labels(const nlohmann::json& meta, const std::string& path);
// obj[key] when it is an object, else an empty object.
const nlohmann::json& child(const nlohmann::json& obj, const char* key);
// "node NAME" / "namespace NAME" for error paths, or `kind` alone when the name is missing.
std::string object_path(const nlohmann::json& obj, const std::string& kind);

}  // namespace jk::inventory
