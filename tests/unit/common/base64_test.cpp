// common/base64: the one base64 of the project (admission patches, Secret data, caBundle,
// kubeconfig *-data fields).
#include "common/base64.h"

#include <gtest/gtest.h>

#include <optional>

namespace jk {
namespace {

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

struct DecodeCase {
  std::string text;
  std::optional<std::string> decoded;  // nullopt: an error
};

class OptionalPadding : public ::testing::TestWithParam<DecodeCase> {};
class RequiredPadding : public ::testing::TestWithParam<DecodeCase> {};

void expect_decodes(const DecodeCase& c, Base64Padding padding) {
  auto decoded = base64_decode(c.text, padding);
  ASSERT_EQ(decoded.ok(), c.decoded.has_value()) << c.text;
  if (c.decoded) {
    EXPECT_EQ(*decoded, *c.decoded);
  } else {
    EXPECT_NE(decoded.error().message.find("invalid base64"), std::string::npos);
  }
}

TEST_P(OptionalPadding, Decodes) { expect_decodes(GetParam(), Base64Padding::kOptional); }
TEST_P(RequiredPadding, Decodes) { expect_decodes(GetParam(), Base64Padding::kRequired); }

// kubeconfig *-data: line breaks skipped, padding optional; the URL-safe alphabet is not base64.
INSTANTIATE_TEST_SUITE_P(
    Kubeconfig, OptionalPadding,
    ::testing::Values(DecodeCase{"", ""}, DecodeCase{"aGk=", "hi"}, DecodeCase{"aGk", "hi"},
                      DecodeCase{"aGVs\nbG8=", "hello"}, DecodeCase{"aGVsbG8", "hello"},
                      DecodeCase{"a", std::nullopt}, DecodeCase{"aG=k", std::nullopt},
                      DecodeCase{"a-b_", std::nullopt}));

// Secret data and caBundle as the API server writes them.
INSTANTIATE_TEST_SUITE_P(
    ApiServer, RequiredPadding,
    ::testing::Values(DecodeCase{"", ""}, DecodeCase{"aGk=", "hi"}, DecodeCase{"Zg==", "f"},
                      DecodeCase{"Zm9vYmFy", "foobar"}, DecodeCase{"abc", std::nullopt},
                      DecodeCase{"aGk", std::nullopt}, DecodeCase{"a*c=", std::nullopt},
                      DecodeCase{"aG=k", std::nullopt}, DecodeCase{"aGVs\nbG8=", std::nullopt},
                      DecodeCase{"a===", std::nullopt}, DecodeCase{"====", std::nullopt},
                      DecodeCase{"a-b_", std::nullopt}));

TEST(Base64, RoundTripsInBothModes) {
  for (const std::string& s :
       {std::string(), std::string("a"), std::string("ab"), std::string("abc"), std::string("abcd"),
        std::string("-----BEGIN X-----\n"), std::string("\xff\x00\xfe\x01", 4)}) {
    const std::string encoded = base64_encode(s);
    for (const auto padding : {Base64Padding::kOptional, Base64Padding::kRequired}) {
      auto decoded = base64_decode(encoded, padding);
      ASSERT_TRUE(decoded.ok()) << encoded;
      EXPECT_EQ(*decoded, s);
    }
  }
}

}  // namespace
}  // namespace jk
