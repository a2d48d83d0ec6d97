#include "launcher/tls/leaf_name.h"

#include <gtest/gtest.h>

#include <string>

namespace jk::launcher::tls {
namespace {

struct Accepted {
  std::string input;
  std::string canonical;
  bool is_ip;
};

TEST(ParseLeafName, AcceptsHostNamesAndIpLiteralsInCanonicalForm) {
  const Accepted cases[] = {
      {"example.com", "example.com", false},
      {"API.GitHub.COM", "api.github.com", false},
      {"example.com.", "example.com", false},
      {"localhost", "localhost", false},
      {"_dmarc.example.com", "_dmarc.example.com", false},
      {"xn--bcher-kva.example", "xn--bcher-kva.example", false},
      {"a-b.c-d.e", "a-b.c-d.e", false},
      {std::string(63, 'a') + ".com", std::string(63, 'a') + ".com", false},
      {"10.0.0.1", "10.0.0.1", true},
      {"10.0.0.1.", "10.0.0.1", true},
      {"010.0.0.1", "010.0.0.1", false},
      {"2001:db8::1", "2001:db8::1", true},
      {"[2001:DB8:0:0::1]", "2001:db8::1", true},
      {"::ffff:10.1.2.3", "::ffff:10.1.2.3", true},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_leaf_name(c.input);
    ASSERT_TRUE(parsed.ok()) << c.input << ": " << parsed.error().message;
    EXPECT_EQ(parsed->text, c.canonical) << c.input;
    EXPECT_EQ(parsed->is_ip, c.is_ip) << c.input;
  }
}

TEST(ParseLeafName, RejectsWhatNoCertificateShouldNameWithAReason) {
  std::string too_long;
  for (int i = 0; i < 64; ++i) too_long += "abc.";
  too_long += "com";  // 259 characters
  const std::pair<std::string, std::string> cases[] = {
      {"", "empty"},
      {".", "empty"},
      {"*.example.com", "character not allowed"},
      {"exa mple.com", "character not allowed"},
      {"example.com,DNS:evil.com", "character not allowed"},
      {"a/b", "character not allowed"},
      {std::string("ex\0ample.com", 12), "character not allowed"},
      {"ex\xc3\xa4mple.com", "character not allowed"},
      {"example..com", "empty label"},
      {".example.com", "empty label"},
      {"example.com..", "empty label"},
      {"-example.com", "starts or ends with '-'"},
      {"example-.com", "starts or ends with '-'"},
      {std::string(64, 'a') + ".com", "longer than 63"},
      {too_long, "longer than 253"},
      {"[10.0.0.1", "character not allowed"},
      {"2001:db8::1::2", "character not allowed"},
  };
  for (const auto& [input, reason] : cases) {
    const auto parsed = parse_leaf_name(input);
    ASSERT_FALSE(parsed.ok()) << input;
    EXPECT_NE(parsed.error().message.find(reason), std::string::npos)
        << input << " -> " << parsed.error().message;
  }
}

TEST(ParseLeafName, ErrorQuotesTheNamePrintablyAndShortened) {
  const auto parsed = parse_leaf_name("bad\x01name" + std::string(100, 'x') + "\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("\"bad?name"), std::string::npos);
  EXPECT_NE(parsed.error().message.find("...\""), std::string::npos);
  EXPECT_EQ(parsed.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace jk::launcher::tls
