#include "webhook/inject/pod.h"

#include <algorithm>

namespace jk::inject {

bool NamedList::has(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string_view> Pod::annotation(std::string_view key) const {
  const auto it =
      std::lower_bound(annotations.begin(), annotations.end(), key,
                       [](const auto& entry, std::string_view k) { return entry.first < k; });
  if (it == annotations.end() || it->first != key) return std::nullopt;
  return it->second;
}

}  // namespace jk::inject
