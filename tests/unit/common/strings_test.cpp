#include "common/strings.h"

#include <gtest/gtest.h>

namespace jk {
namespace {

TEST(Strings, SplitKeepsEmptyParts) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string_view>{""}));
}

TEST(Strings, TrimAndCase) {
  EXPECT_EQ(trim("  a b \t\n"), "a b");
  EXPECT_TRUE(starts_with_ci("Application/JSON; charset=utf-8", "application/json"));
  EXPECT_FALSE(starts_with_ci("app", "application"));
  EXPECT_EQ(to_lower("GitHub.COM"), "github.com");
}

TEST(Strings, ParseU64) {
  EXPECT_EQ(parse_u64("0"), 0U);
  EXPECT_EQ(parse_u64("18446744073709551615"), 18446744073709551615ULL);
  EXPECT_EQ(parse_u64("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse_u64("-1"), std::nullopt);
  EXPECT_EQ(parse_u64("1 "), std::nullopt);
  EXPECT_EQ(parse_u64(""), std::nullopt);
}

TEST(Strings, ParseHostPort) {
  auto hp = parse_host_port("0.0.0.0:8443");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "0.0.0.0");
  EXPECT_EQ(hp->port, 8443);
  hp = parse_host_port("[::1]:0");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "::1");
  EXPECT_EQ(hp->port, 0);
  EXPECT_FALSE(parse_host_port("localhost"));
  EXPECT_FALSE(parse_host_port(":80"));
  EXPECT_FALSE(parse_host_port("h:65536"));
  EXPECT_FALSE(parse_host_port("::1:80"));
  EXPECT_FALSE(parse_host_port("[::1]80"));
}

}  // namespace
}  // namespace jk
