#pragma once
// The node inventory: an immutable, label-indexed snapshot, and the source that provides the
// current one. Today the source is a file (--nodes); the live API view implements NodeSource.
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/inventory/namespace_source.h"
#include "webhook/policy/node_index.h"

namespace jk::inventory {

class NodeSource {
 public:
  virtual ~NodeSource() = default;
  // Never null once ready(); cheap (a shared_ptr copy); safe from any thread.
  [[nodiscard]] virtual std::shared_ptr<const policy::NodeIndex> snapshot() const = 0;
  [[nodiscard]] virtual bool ready() const = 0;
  [[nodiscard]] virtual std::string describe() const = 0;  // "file /x/nodes.json (12 nodes)"
};

// A fixed snapshot: from a NodeList file, or empty (no inventory: every prediction is unknown).
class StaticNodeSource final : public NodeSource {
 public:
  StaticNodeSource(std::vector<policy::Node> nodes, std::string origin);
  [[nodiscard]] std::shared_ptr<const policy::NodeIndex> snapshot() const override;
  [[nodiscard]] bool ready() const override { return true; }
  [[nodiscard]] std::string describe() const override;

 private:
  std::shared_ptr<const policy::NodeIndex> index_;
  std::string origin_;
};

// Reads `kubectl get nodes -o json` output (a NodeList, or a single Node).
Result<std::shared_ptr<StaticNodeSource>> load_node_file(const std::string& path);

// The same file with its namespaces, if any (see decode_inventory): `namespaces` is null when
// the file has none (namespace checks are then off, as without any inventory).
struct InventoryFile {
  std::shared_ptr<StaticNodeSource> nodes;
  std::shared_ptr<StaticNamespaceSource> namespaces;
};
Result<InventoryFile> load_inventory_file(const std::string& path);

}  // namespace jk::inventory
