#include "webhook/policy/namespace_index.h"

namespace jk::policy {

NamespaceIndex::NamespaceIndex(std::vector<Namespace> namespaces) {
  by_name_.reserve(namespaces.size());
  for (auto& ns : namespaces) by_name_.insert_or_assign(std::move(ns.name), std::move(ns.labels));
}

const Labels* NamespaceIndex::labels(std::string_view name) const {
  const auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &it->second;
}

}  // namespace jk::policy
