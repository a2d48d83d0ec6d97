#include "webhook/inventory/node_list.h"

#include <nlohmann/json.hpp>

#include "webhook/inventory/json_fields.h"
#include "webhook/inventory/namespace_list.h"

namespace jk::inventory {
namespace {

using nlohmann::json;
using policy::Node;

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
  JK_TRY(const std::string architecture, optional_string(info, "architecture", ip));
  n.arch = policy::node_arch(n.labels, architecture);
  n.os = policy::classify_os(n.labels, n.os_image);
  n.user_namespaces_off = policy::auto_mode(n.labels, n.os_image);
  n.kernel = policy::parse_kernel(n.kernel_version);
  return n;
}

bool is_namespace(const json& item) {
  return item.is_object() && item.value("kind", json()).is_string() && item["kind"] == "Namespace";
}

// items of a NodeList/List: Namespaces go to `doc.namespaces`, everything else is a Node.
Status decode_items(const json& items, const std::string& name, InventoryDocument& doc) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = name + "[" + std::to_string(i) + "]";
    if (is_namespace(items[i])) {
      JK_TRY(policy::Namespace ns, decode_namespace(items[i], path));
      if (!doc.namespaces) doc.namespaces.emplace();
      doc.namespaces->push_back(std::move(ns));
      continue;
    }
    JK_TRY(Node n, decode_node(items[i], path));
    doc.nodes.push_back(std::move(n));
  }
  return {};
}

Status decode_namespaces(const json& items, InventoryDocument& doc) {
  if (!items.is_array()) return make_error("namespaces: expected an array");
  doc.namespaces.emplace();
  for (std::size_t i = 0; i < items.size(); ++i) {
    JK_TRY(policy::Namespace ns,
           decode_namespace(items[i], "namespaces[" + std::to_string(i) + "]"));
    doc.namespaces->push_back(std::move(ns));
  }
  return {};
}

// {"nodes": [...], "namespaces": [...]} (the fake API server's state format).
Result<InventoryDocument> decode_sections(const json& j) {
  InventoryDocument doc;
  if (j.contains("nodes")) {
    if (!j["nodes"].is_array()) return make_error("nodes: expected an array");
    JK_TRY_STATUS(decode_items(j["nodes"], "nodes", doc));
  }
  if (j.contains("namespaces")) JK_TRY_STATUS(decode_namespaces(j["namespaces"], doc));
  return doc;
}

}  // namespace

Result<InventoryDocument> decode_inventory(std::string_view text) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error("not valid JSON");
  if (!j.is_object()) return make_error("expected a NodeList or Node object");
  InventoryDocument doc;
  JK_TRY(const std::string kind, optional_string(j, "kind", "document"));
  if (kind == "Node") {
    JK_TRY(Node n, decode_node(j, "node"));
    doc.nodes.push_back(std::move(n));
    return doc;
  }
  if (kind.empty() && !j.contains("items") && (j.contains("nodes") || j.contains("namespaces"))) {
    return decode_sections(j);
  }
  const auto items = j.find("items");
  if (items == j.end() || !items->is_array()) {
    return make_error("expected a NodeList (kind NodeList or List with items), got kind \"" + kind +
                      "\"");
  }
  JK_TRY_STATUS(decode_items(*items, "items", doc));
  return doc;
}

Result<std::vector<policy::Node>> decode_node_list(std::string_view text) {
  JK_TRY(InventoryDocument doc, decode_inventory(text));
  return std::move(doc.nodes);
}

Result<policy::Node> decode_node(const nlohmann::json& node) {
  return decode_node(node, object_path(node, "node"));
}

}  // namespace jk::inventory
