#include "launcher/cli/explain.h"

#include <gtest/gtest.h>

#include <sstream>

namespace jk::launcher::cli {
namespace {

config::LaunchOptions options_with(std::initializer_list<const char*> rules) {
  config::LaunchOptions o;
  std::size_t i = 0;
  for (const char* text : rules) {
    o.allow.push_back({*launchspec::parse_rule(text), "--allow[" + std::to_string(i++) + "]"});
  }
  return o;
}

struct DecisionCase {
  const char* method;
  const char* url;
  bool allowed;
  const char* rule;  // matching rule when allowed
};

class Decision : public ::testing::TestWithParam<DecisionCase> {};

INSTANTIATE_TEST_SUITE_P(
    Table, Decision,
    ::testing::Values(DecisionCase{"GET", "https://github.com/", true, "domain=github.com"},
                      DecisionCase{"GET", "https://api.github.com/", true,
                                   "domain=*.github.com path=/repos/*"},
                      DecisionCase{"GET", "https://api.github.com/users", false, ""},
                      DecisionCase{"POST", "https://pypi.org/simple/", false, ""},
                      DecisionCase{"HEAD", "https://pypi.org/simple/x?q=1", true,
                                   "method=GET,HEAD domain=pypi.org"},
                      DecisionCase{"get", "https://pypi.org/", false, ""},
                      DecisionCase{"GET", "http://GitHub.com.:8080/", true, "domain=github.com"},
                      DecisionCase{"PUT", "http://[::1]:9000/x", false, ""},
                      DecisionCase{"DELETE", "http://10.1.2.3/", true, "method=DELETE domain=*"}));

TEST_P(Decision, FirstMatchingRuleWinsElseDeny) {
  const auto o = options_with({"domain=github.com", "domain=*.github.com path=/repos/*,/",
                               "method=GET,HEAD domain=pypi.org", "method=DELETE domain=*"});
  // The second rule has two paths: "/repos/*" and "/"; printed as written.
  const auto e = explain_request(o, GetParam().method, GetParam().url);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->allowed, GetParam().allowed);
  if (GetParam().allowed) {
    const std::string expected = GetParam().rule;
    EXPECT_EQ(e->rule.rfind(expected, 0), 0U) << e->rule;
  }
}

TEST(Decision, NoRulesDenyEverything) {
  const auto e = explain_request(config::LaunchOptions{}, "GET", "https://example.com/");
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->allowed);
}

TEST(Decision, InvalidMethodOrUrlIsAnError) {
  const auto o = options_with({"domain=*"});
  EXPECT_EQ(explain_request(o, "GE T", "http://a/").error().message,
            "method \"GE T\": expected an HTTP method token");
  EXPECT_FALSE(explain_request(o, "GET", "a.com").ok());
}

TEST(Output, AllowPrintsTheRuleAndItsOrigin) {
  const auto o = options_with({"domain=a.com", "domain=b.com"});
  std::ostringstream out;
  EXPECT_EQ(print_explanation(*explain_request(o, "GET", "https://b.com/x"), out), kExitAllowed);
  EXPECT_EQ(out.str(), "ALLOW domain=b.com\nmatched rule from --allow[1]\nforwarded as /x\n");
}

TEST(Output, DenyPrintsAValidRuleThatWouldAllowIt) {
  std::ostringstream out;
  const auto e = explain_request(options_with({"domain=a.com"}), "POST",
                                 "https://api.example.com:8443/v1/x?token=1");
  EXPECT_EQ(print_explanation(*e, out), kExitDenied);
  EXPECT_EQ(out.str(),
            "DENY\nno rule matches; to allow it: --allow \"method=POST domain=api.example.com "
            "path=/v1/x\"\n");
  EXPECT_TRUE(launchspec::parse_rule(e->suggestion).ok());
  const auto allowed = explain_request(options_with({e->suggestion.c_str()}), "POST",
                                       "https://api.example.com:8443/v1/x?token=1");
  EXPECT_TRUE(allowed->allowed);
}

}  // namespace
}  // namespace jk::launcher::cli

namespace jk::launcher::cli {
namespace {

// issue 13: explain judges what the proxy judges (the canonical path, every reading, the port).
TEST(Issue13, ExplainAgreesWithTheProxyOnPathsAndPorts) {
  const auto o = options_with({"domain=example.com path=/api/*", "domain=other.com port=8443"});
  for (const char* url :
       {"https://example.com/api/../secret", "https://example.com/api/%2e%2e/secret",
        "https://example.com/api/x/../../secret"}) {
    const auto e = explain_request(o, "GET", url);
    ASSERT_TRUE(e.ok()) << url;
    EXPECT_FALSE(e->allowed) << url;
    EXPECT_FALSE(e->refused) << url;
    EXPECT_EQ(e->target, "/secret") << url;
  }
  for (const char* url : {"https://example.com/api%2F..%2Fsecret", "https://example.com/api/..;/x",
                          "https://example.com/api/%252e%252e/secret"}) {
    const auto e = explain_request(o, "GET", url);
    ASSERT_TRUE(e.ok()) << url;
    EXPECT_TRUE(e->refused) << url;
    std::ostringstream out;
    EXPECT_EQ(print_explanation(*e, out), kExitDenied);
    EXPECT_TRUE(out.str().starts_with("REFUSE\nthe proxy answers 400: ambiguous path"))
        << out.str();
  }
  EXPECT_TRUE(explain_request(o, "GET", "https://other.com:8443/")->allowed);
  EXPECT_FALSE(explain_request(o, "GET", "https://other.com/")->allowed);
  EXPECT_FALSE(explain_request(o, "GET", "http://other.com:8080/")->allowed);
}

}  // namespace
}  // namespace jk::launcher::cli
