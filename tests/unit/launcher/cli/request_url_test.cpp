#include "launcher/cli/request_url.h"

#include <gtest/gtest.h>

namespace jk::launcher::cli {
namespace {

struct UrlCase {
  const char* url;
  const char* host;
  const char* path;
};

class GoodUrl : public ::testing::TestWithParam<UrlCase> {};

INSTANTIATE_TEST_SUITE_P(Accepted, GoodUrl,
                         ::testing::Values(UrlCase{"https://github.com/a/b", "github.com", "/a/b"},
                                           UrlCase{"http://github.com", "github.com", "/"},
                                           UrlCase{"HTTPS://GitHub.com:8443/x?y=1", "GitHub.com",
                                                   "/x?y=1"},
                                           UrlCase{"http://a.com?q=1", "a.com", "/?q=1"},
                                           UrlCase{"http://a.com/p#frag", "a.com", "/p"},
                                           UrlCase{"http://10.0.0.1:80/", "10.0.0.1", "/"},
                                           UrlCase{"http://[::1]:8080/x", "[::1]", "/x"},
                                           UrlCase{"https://[2001:db8::1]", "[2001:db8::1]", "/"},
                                           UrlCase{"http://a.com/%2e%2e/x", "a.com", "/%2e%2e/x"}));

TEST_P(GoodUrl, SplitsHostAndPath) {
  const auto u = parse_request_url(GetParam().url);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->host, GetParam().host);
  EXPECT_EQ(u->path, GetParam().path);
}

struct BadUrlCase {
  const char* url;
  const char* why;
};

class BadUrl : public ::testing::TestWithParam<BadUrlCase> {};

INSTANTIATE_TEST_SUITE_P(
    Rejected, BadUrl,
    ::testing::Values(
        BadUrlCase{"github.com/x", "expected an absolute http:// or https:// URL"},
        BadUrlCase{"/x", "expected an absolute http:// or https:// URL"},
        BadUrlCase{"ftp://a.com/", "expected an absolute http:// or https:// URL"},
        BadUrlCase{"http:///x", "empty host"}, BadUrlCase{"http://:80/", "empty host"},
        BadUrlCase{"http://u:p@a.com/", "user info is not allowed"},
        BadUrlCase{"http://a.com:0/", "invalid port"},
        BadUrlCase{"http://a.com:65536/", "invalid port"},
        BadUrlCase{"http://a.com:/", "invalid port"}, BadUrlCase{"http://[::1]x/", "invalid port"},
        BadUrlCase{"http://[::1/", "unterminated IPv6 literal"},
        BadUrlCase{"http://[zz::1]/", "invalid IPv6 literal"},
        BadUrlCase{"http://a b.com/", "spaces and control characters are not allowed"},
        BadUrlCase{"http://a.com/\n", "spaces and control characters are not allowed"},
        BadUrlCase{"http://a!b.com/", "invalid character in host"}));

TEST_P(BadUrl, SaysWhy) {
  const auto u = parse_request_url(GetParam().url);
  ASSERT_FALSE(u.ok()) << GetParam().url;
  EXPECT_EQ(u.error().message, "URL \"" + std::string(GetParam().url) + "\": " + GetParam().why);
}

TEST(HttpToken, MethodsAreTokens) {
  EXPECT_TRUE(is_http_token("GET"));
  EXPECT_TRUE(is_http_token("M-SEARCH"));
  EXPECT_FALSE(is_http_token(""));
  EXPECT_FALSE(is_http_token("GE T"));
  EXPECT_FALSE(is_http_token("GET/"));
}

}  // namespace
}  // namespace jk::launcher::cli
