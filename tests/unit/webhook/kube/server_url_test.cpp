// parse_server_url: the small parser under the kubeconfig reader (its base64 decoding is
// common/base64, tested in tests/unit/common/base64_test.cpp).
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace jk::kube
