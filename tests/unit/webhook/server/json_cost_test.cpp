// json_dom_bytes is an upper bound of what nlohmann::json::parse really allocates, and not a
// loose one: measured with malloc's own accounting for the shapes that cost most per byte. (It
// counts arrays' storage three times for the moment a vector doubles, which the DOM left after
// parsing no longer shows: hence up to 3x above for arrays of scalars.)
#include "webhook/server/json_cost.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <nlohmann/json.hpp>
#include <string>

namespace jk::server {
namespace {

std::string repeat(const std::string& open, const std::string& item, const std::string& close,
                   std::size_t size) {
  std::string s = open;
  for (std::size_t i = 0; s.size() < size; ++i) {
    std::string one = item;
    if (const auto at = one.find('#'); at != std::string::npos)
      one.replace(at, 1, std::to_string(i));
    s += one + ",";
  }
  s.pop_back();
  return s + close;
}

std::size_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

TEST(JsonCost, IsAnUpperBoundWithin4xOfWhatParsingLeavesAllocated) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's allocator is not glibc's: mallinfo2 does not see it";
#endif
  constexpr std::size_t kSize = 512 * 1024;
  for (const std::string& text :
       {repeat("[", "{}", "]", kSize), repeat("[", "[]", "]", kSize), repeat("[", "0", "]", kSize),
        repeat("[", "\"\"", "]", kSize), repeat("{", "\"#\":0", "}", kSize),
        repeat("{", "\"k#\":{}", "}", kSize), repeat("[", "{\"a\":[1,\"x\"]}", "]", kSize),
        "{\"a\":\"" + std::string(kSize, 'x') + "\"}"}) {
    const std::size_t before = heap_in_use();
    std::size_t measured = 0;
    {
      const auto dom = nlohmann::json::parse(text);
      measured = heap_in_use() - before;
    }
    const std::uint64_t estimate = json_dom_bytes(text);
    EXPECT_GE(estimate, measured) << text.substr(0, 20);
    EXPECT_LE(estimate, 4 * measured) << text.substr(0, 20);
  }
}

TEST(JsonCost, SmallBodiesAreChargedAFixedFactorAndBadJsonNothingExtra) {
  EXPECT_EQ(decode_cost("{}"), 2 * kSmallBodyFactor);
  EXPECT_EQ(json_dom_bytes("not json"), 0U);
  EXPECT_EQ(json_dom_bytes("[1,2"), 0U);
  const std::string big = repeat("[", "{}", "]", 2 * kScanThreshold);
  EXPECT_EQ(decode_cost(big), json_dom_bytes(big));
  EXPECT_GT(json_dom_bytes(big), 25 * big.size()) << "[{},...] costs ~32x its text";
}

TEST(JsonCost, DeepNestingIsCountedWithoutRecursion) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_GT(json_dom_bytes(deep), 100000U * 32);
}

}  // namespace
}  // namespace jk::server
