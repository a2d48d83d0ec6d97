#pragma once
// What the webhook keeps of Namespaces: name and labels (opt-in label, Pod Security levels),
// as an immutable snapshot looked up by name.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "webhook/policy/node.h"

namespace jk::policy {

struct Namespace {
  std::string name;
  Labels labels;
  bool operator==(const Namespace&) const = default;
};

class NamespaceIndex {
 public:
  explicit NamespaceIndex(std::vector<Namespace> namespaces);
  // The namespace's labels; nullptr when the inventory does not know it (yet).
  [[nodiscard]] const Labels* labels(std::string_view name) const;
  [[nodiscard]] std::size_t size() const { return by_name_.size(); }

 private:
  std::unordered_map<std::string, Labels> by_name_;
};

}  // namespace jk::policy
