#include "launcher/proxy/deny_body.h"

#include <gtest/gtest.h>

#include "launchspec/rules.h"

namespace jk::launcher::proxy {
namespace {

TEST(DenyBody, NamesTheRequestAndRulesThatAllowIt) {
  const std::string body = deny_body("POST", "api.github.com", "/repos/x/issues?page=2");
  EXPECT_NE(body.find("Request Blocked by Boundary"), std::string::npos) << body;
  EXPECT_NE(body.find("POST /repos/x/issues?page=2"), std::string::npos) << body;
  EXPECT_NE(body.find("Host: api.github.com"), std::string::npos) << body;
  EXPECT_NE(body.find("--allow \"domain=api.github.com\""), std::string::npos) << body;
  EXPECT_NE(body.find("--allow \"method=POST domain=api.github.com path=/repos/x/issues\""),
            std::string::npos)
      << body;
}

TEST(DenyBody, SuggestedRulesAreValidAndAllowTheRequest) {
  struct Case {
    const char* method;
    const char* host;
    const char* path;
  };
  const Case cases[] = {{"GET", "example.com", "/"},
                        {"GET", "10.1.2.3", "/a%20b/c"},
                        {"DELETE", "a_b.example.com", "/x"},
                        {"GET", "::1", "/v6"}};
  for (const Case& c : cases) {
    const std::string body = deny_body(c.method, c.host, c.path);
    std::size_t at = 0;
    int rules_found = 0;
    while ((at = body.find("--allow \"", at)) != std::string::npos) {
      at += 9;  // NOLINT: length of `--allow "`
      const std::string text = body.substr(at, body.find('"', at) - at);
      const auto rule = launchspec::parse_rule(text);
      ASSERT_TRUE(rule.ok()) << text << ": " << rule.error().message;
      EXPECT_EQ(launchspec::first_match({*rule}, {c.method, c.host, c.path}), 0) << text;
      ++rules_found;
    }
    EXPECT_EQ(rules_found, 2) << body;
  }
}

}  // namespace
}  // namespace jk::launcher::proxy
