#include "common/result.h"

#include <gtest/gtest.h>

#include "common/base64.h"

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

TEST(Base64, Rfc4648TestVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\x00\xfe", 3)), "/wD+");
}

}  // namespace
}  // namespace jk
