// parse_server_url and base64_decode: the small parsers under the kubeconfig reader.
#include <gtest/gtest.h>

#include "webhook/kube/base64_decode.h"
#include "webhook/kube/server_url.h"

namespace jk::kube {
namespace {

struct UrlCase {
  std::string url;
  std::string server;  // "" = rejected
  std::string host;
  std::uint16_t port;
  std::string base_path;
};

class ServerUrlTable : public ::testing::TestWithParam<UrlCase> {};

TEST_P(ServerUrlTable, Parses) {
  const UrlCase& c = GetParam();
  auto url = parse_server_url(c.url);
  if (c.server.empty()) {
    EXPECT_FALSE(url.ok()) << c.url;
    return;
  }
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->server, c.server);
  EXPECT_EQ(url->host, c.host);
  EXPECT_EQ(url->port, c.port);
  EXPECT_EQ(url->base_path, c.base_path);
}

INSTANTIATE_TEST_SUITE_P(
    Kube, ServerUrlTable,
    ::testing::Values(
        UrlCase{"https://k.example:6443", "https://k.example:6443", "k.example", 6443, ""},
        UrlCase{"HTTPS://k.example", "https://k.example:443", "k.example", 443, ""},
        UrlCase{"https://[::1]", "https://[::1]:443", "::1", 443, ""},
        UrlCase{"https://[::1]:8443/", "https://[::1]:8443", "::1", 8443, ""},
        UrlCase{"https://k.example/a/b//", "https://k.example:443/a/b", "k.example", 443, "/a/b"},
        UrlCase{"http://k.example", "", "", 0, ""}, UrlCase{"k.example:6443", "", "", 0, ""},
        UrlCase{"https://", "", "", 0, ""}, UrlCase{"https://k.example:0", "", "", 0, ""},
        UrlCase{"https://[::1", "", "", 0, ""}, UrlCase{"https://::1:443", "", "", 0, ""},
        UrlCase{"https://k.example/?x=1", "", "", 0, ""}, UrlCase{"", "", "", 0, ""}));

struct Base64Case {
  std::string text;
  std::optional<std::string> decoded;
};

class Base64Table : public ::testing::TestWithParam<Base64Case> {};

TEST_P(Base64Table, Decodes) {
  const Base64Case& c = GetParam();
  auto decoded = base64_decode(c.text);
  ASSERT_EQ(decoded.ok(), c.decoded.has_value()) << c.text;
  if (c.decoded) {
    EXPECT_EQ(*decoded, *c.decoded);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Kube, Base64Table,
    ::testing::Values(Base64Case{"", ""}, Base64Case{"aGk=", "hi"}, Base64Case{"aGk", "hi"},
                      Base64Case{"aGVs\nbG8=", "hello"}, Base64Case{"aGVsbG8", "hello"},
                      Base64Case{"a", std::nullopt}, Base64Case{"aG=k", std::nullopt},
                      Base64Case{"a-b_", std::nullopt}));

}  // namespace
}  // namespace jk::kube
