#include "webhook/inventory/inventory.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "webhook/inventory/node_list.h"

namespace jk::inventory {

StaticNodeSource::StaticNodeSource(std::vector<policy::Node> nodes, std::string origin)
    : index_(std::make_shared<const policy::NodeIndex>(std::move(nodes))),
      origin_(std::move(origin)) {}

std::shared_ptr<const policy::NodeIndex> StaticNodeSource::snapshot() const { return index_; }

std::string StaticNodeSource::describe() const {
  return origin_ + " (" + std::to_string(index_->size()) + " nodes)";
}

Result<InventoryFile> load_inventory_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("nodes " + path + ": " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  auto doc = decode_inventory(buf.str());
  if (!doc.ok()) return doc.error().wrap("nodes " + path);
  InventoryFile file;
  file.nodes = std::make_shared<StaticNodeSource>(std::move(doc->nodes), "file " + path);
  if (doc->namespaces) {
    file.namespaces =
        std::make_shared<StaticNamespaceSource>(std::move(*doc->namespaces), "file " + path);
  }
  return file;
}

Result<std::shared_ptr<StaticNodeSource>> load_node_file(const std::string& path) {
  JK_TRY(InventoryFile file, load_inventory_file(path));
  return std::move(file.nodes);
}

}  // namespace jk::inventory
