// sort_keep_last / find_sorted: a decoded JSON object of strings as a sorted list of views.
#include "common/sorted_pairs.h"

#include <gtest/gtest.h>

namespace jk {
namespace {

TEST(SortedPairs, SortsByKeyAndKeepsTheLastOfADuplicate) {
  SortedPairs pairs = {
      {"z", "1"}, {"dup", "first"}, {"a", "2"}, {"dup", "middle"}, {"dup", "last"}};
  sort_keep_last(pairs);
  EXPECT_EQ(pairs, (SortedPairs{{"a", "2"}, {"dup", "last"}, {"z", "1"}}));
}

TEST(SortedPairs, FindsEveryKeyAndNothingElse) {
  SortedPairs pairs = {{"m", "3"}, {"b", "1"}, {"x", "4"}, {"c", "2"}, {"", "empty key"}};
  sort_keep_last(pairs);
  for (const auto& [key, value] : pairs) EXPECT_EQ(find_sorted(pairs, key), value) << key;
  EXPECT_EQ(find_sorted(pairs, "a"), std::nullopt);
  EXPECT_EQ(find_sorted(pairs, "d"), std::nullopt);
  EXPECT_EQ(find_sorted(pairs, "zz"), std::nullopt);
  EXPECT_EQ(find_sorted(SortedPairs{}, "m"), std::nullopt);
}

}  // namespace
}  // namespace jk
