#pragma once
// (key, value) string views read from one JSON object and kept sorted by key, each key once: a
// decoded pod's annotations and nodeSelector (views into the pod's document). Found by binary
// search; small enough that a map's nodes would cost more than they save.
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace jk {

using SortedPairs = std::vector<std::pair<std::string_view, std::string_view>>;

// Sorts pairs appended in document order by key, in place; of a key written twice only the last
// stays (what filling a map with insert_or_assign would keep).
void sort_keep_last(SortedPairs& pairs);

// The value listed for `key` in sorted `pairs`, if any.
std::optional<std::string_view> find_sorted(const SortedPairs& pairs, std::string_view key);

}  // namespace jk
