#include "webhook/inventory/json_fields.h"

namespace jk::inventory {

using nlohmann::json;

Result<std::string> optional_string(const json& obj, const char* key, const std::string& path) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return make_error(path + "." + key + ": expected a string");
  return it->get<std::string>();
}

Result<policy::Labels> decode_labels(const json& meta, const std::string& path) {
  policy::Labels labels;
  const auto it = meta.find("labels");
  if (it == meta.end() || it->is_null()) return labels;
  if (!it->is_object()) return make_error(path + ".labels: expected an object");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) return make_error(path + ".labels." + k + ": expected a string");
    labels.emplace(k, v.get<std::string>());
  }
  return labels;
}

const json& child(const json& obj, const char* key) {
  static const json kEmptyObject = json::object();
  const auto it = obj.find(key);
  return (it == obj.end() || !it->is_object()) ? kEmptyObject : *it;
}

std::string object_path(const json& obj, const std::string& kind) {
  if (!obj.is_object()) return kind;
  const json& meta = child(obj, "metadata");
  const auto it = meta.find("name");
  return it != meta.end() && it->is_string() ? kind + " " + it->get<std::string>() : kind;
}

}  // namespace jk::inventory
