#include "webhook/nodes/node_list.h"

#include <nlohmann/json.hpp>

namespace jk::nodes {
namespace {

using nlohmann::json;
using policy::Node;

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

Result<std::vector<policy::Taint>> decode_taints(const json& spec, const std::string& path) {
  std::vector<policy::Taint> taints;
  const auto it = spec.find("taints");
  if (it == spec.end() || it->is_null()) return taints;
  if (!it->is_array()) return make_error(path + ".taints: expected an array");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& t = (*it)[i];
    const std::string tp = path + ".taints[" + std::to_string(i) + "]";
    if (!t.is_object()) return make_error(tp + ": expected an object");
    policy::Taint taint;
    JK_TRY(taint.key, optional_string(t, "key", tp));
    JK_TRY(taint.value, optional_string(t, "value", tp));
    JK_TRY(taint.effect, optional_string(t, "effect", tp));
    taints.push_back(std::move(taint));
  }
  return taints;
}

const json& child(const json& obj, const char* key) {
  static const json kEmptyObject = json::object();
  const auto it = obj.find(key);
  return (it == obj.end() || !it->is_object()) ? kEmptyObject : *it;
}

Result<Node> decode_node(const json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path + ": expected a Node object");
  Node n;
  const json& meta = child(j, "metadata");
  JK_TRY(n.name, optional_string(meta, "name", path + ".metadata"));
  JK_TRY(n.labels, decode_labels(meta, path + ".metadata"));
  JK_TRY(n.taints, decode_taints(child(j, "spec"), path + ".spec"));
  const json& info = child(child(j, "status"), "nodeInfo");
  const std::string ip = path + ".status.nodeInfo";
  JK_TRY(n.os_image, optional_string(info, "osImage", ip));
  JK_TRY(n.kernel_version, optional_string(info, "kernelVersion", ip));
  n.os = policy::classify_os(n.labels, n.os_image);
  n.user_namespaces_off = policy::auto_mode(n.labels, n.os_image);
  n.kernel = policy::parse_kernel(n.kernel_version);
  return n;
}

}  // namespace

Result<std::vector<policy::Node>> decode_node_list(std::string_view text) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error("not valid JSON");
  if (!j.is_object()) return make_error("expected a NodeList or Node object");
  std::vector<Node> nodes;
  JK_TRY(const std::string kind, optional_string(j, "kind", "document"));
  if (kind == "Node") {
    JK_TRY(Node n, decode_node(j, "node"));
    nodes.push_back(std::move(n));
    return nodes;
  }
  const auto items = j.find("items");
  if (items == j.end() || !items->is_array()) {
    return make_error("expected a NodeList (kind NodeList or List with items), got kind \"" +
                      kind + "\"");
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    JK_TRY(Node n, decode_node((*items)[i], "items[" + std::to_string(i) + "]"));
    nodes.push_back(std::move(n));
  }
  return nodes;
}

Result<policy::Node> decode_node(const nlohmann::json& node) {
  std::string name = "node";
  if (node.is_object() && node.contains("metadata") && node["metadata"].is_object()) {
    const auto it = node["metadata"].find("name");
    if (it != node["metadata"].end() && it->is_string()) name = "node " + it->get<std::string>();
  }
  return decode_node(node, name);
}

}  // namespace jk::nodes
