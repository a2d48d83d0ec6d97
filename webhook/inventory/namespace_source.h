#pragma once
// Where the Namespace view comes from: a file (--nodes FILE with a "namespaces" list) or the
// live API (LiveNamespaceSource). No source at all means namespace checks are off (inject).
#include <memory>
#include <string>
#include <vector>

#include "webhook/policy/namespace_index.h"

namespace jk::inventory {

class NamespaceSource {
 public:
  virtual ~NamespaceSource() = default;
  // Never null; cheap (a shared_ptr copy); safe from any thread.
  [[nodiscard]] virtual std::shared_ptr<const policy::NamespaceIndex> snapshot() const = 0;
  [[nodiscard]] virtual bool ready() const = 0;
  [[nodiscard]] virtual std::string describe() const = 0;
};

class StaticNamespaceSource final : public NamespaceSource {
 public:
  StaticNamespaceSource(std::vector<policy::Namespace> namespaces, std::string origin);
  [[nodiscard]] std::shared_ptr<const policy::NamespaceIndex> snapshot() const override {
    return index_;
  }
  [[nodiscard]] bool ready() const override { return true; }
  [[nodiscard]] std::string describe() const override;

 private:
  std::shared_ptr<const policy::NamespaceIndex> index_;
  std::string origin_;
};

}  // namespace jk::inventory
