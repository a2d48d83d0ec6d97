#include "common/sorted_pairs.h"

#include <algorithm>
#include <iterator>

namespace jk {

void sort_keep_last(SortedPairs& pairs) {
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  // Equal keys are adjacent now, in document order: keep the last of each run.
  auto keep = pairs.begin();
  for (auto it = pairs.begin(); it != pairs.end(); ++it) {
    if (std::next(it) != pairs.end() && std::next(it)->first == it->first) continue;
    *keep++ = *it;
  }
  pairs.erase(keep, pairs.end());
}

std::optional<std::string_view> find_sorted(const SortedPairs& pairs, std::string_view key) {
  const auto it =
      std::lower_bound(pairs.begin(), pairs.end(), key,
                       [](const auto& entry, std::string_view k) { return entry.first < k; });
  if (it == pairs.end() || it->first != key) return std::nullopt;
  return it->second;
}

}  // namespace jk
