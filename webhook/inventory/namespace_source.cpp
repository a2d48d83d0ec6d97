#include "webhook/inventory/namespace_source.h"

namespace jk::inventory {

StaticNamespaceSource::StaticNamespaceSource(std::vector<policy::Namespace> namespaces,
                                             std::string origin)
    : index_(std::make_shared<const policy::NamespaceIndex>(std::move(namespaces))),
      origin_(std::move(origin)) {}

std::string StaticNamespaceSource::describe() const {
  return origin_ + " (" + std::to_string(index_->size()) + " namespaces)";
}

}  // namespace jk::inventory
