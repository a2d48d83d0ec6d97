#include "common/result.h"

#include <gtest/gtest.h>

namespace jk {
namespace {

Result<int> half(int v) {
  if (v % 2 != 0) return make_error(std::to_string(v) + " is odd");
  return v / 2;
}

Result<int> quarter(int v) {
  JK_TRY(const int h, half(v));
  JK_TRY(const int q, half(h));
  return q;
}

TEST(Result, CarriesValueOrError) {
  EXPECT_EQ(*quarter(8), 2);
  const auto r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "3 is odd");
  EXPECT_EQ(r.error().wrap("quarter").message, "quarter: 3 is odd");
}

TEST(Status, DefaultIsOk) {
  const Status ok;
  EXPECT_TRUE(ok.ok());
  const Status bad = make_error("no");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "no");
}

}  // namespace
}  // namespace jk
