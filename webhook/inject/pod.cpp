#include "webhook/inject/pod.h"

#include <algorithm>

namespace jk::inject {

bool NamedList::has(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string_view> Pod::annotation(std::string_view key) const {
  return find_sorted(annotations, key);
}

}  // namespace jk::inject
