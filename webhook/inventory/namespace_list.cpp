#include "webhook/inventory/namespace_list.h"

#include <nlohmann/json.hpp>

#include "webhook/inventory/json_fields.h"

namespace jk::inventory {

Result<policy::Namespace> decode_namespace(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path + ": expected a Namespace object");
  policy::Namespace ns;
  const nlohmann::json& meta = child(j, "metadata");
  JK_TRY(ns.name, optional_string(meta, "name", path + ".metadata"));
  if (ns.name.empty()) return make_error(path + ".metadata.name: missing");
  JK_TRY(ns.labels, decode_labels(meta, path + ".metadata"));
  return ns;
}

Result<policy::Namespace> decode_namespace(const nlohmann::json& j) {
  return decode_namespace(j, object_path(j, "namespace"));
}

}  // namespace jk::inventory
