#include "launcher/proxy/destination.h"

#include <gtest/gtest.h>

#include <string>

namespace jk::launcher::proxy {
namespace {

struct Case {
  std::string target;
  std::string host_header;
  ConnectionDefaults defaults;
  std::string host;  // expected; empty: an error
  std::uint16_t port = 0;
  bool tls = false;
  std::string path;
  std::string url;
};

TEST(RequestDestination, EachRequestTargetForm) {
  const ConnectionDefaults none{};
  const ConnectionDefaults tunnel{"api.example.com", 8443, false};
  const ConnectionDefaults intercepted{"api.example.com", 443, true};
  const ConnectionDefaults redirected{"10.0.0.5", 8080, false};
  const Case cases[] = {
      // origin-form takes the Host header
      {"/a/b?c=d", "example.com", none, "example.com", 80, false, "/a/b?c=d",
       "http://example.com/a/b?c=d"},
      {"/", "example.com:8080", none, "example.com", 8080, false, "/", "http://example.com:8080/"},
      {"/x", "[::1]:9000", none, "::1", 9000, false, "/x", "http://[::1]:9000/x"},
      // percent-encoding is kept as sent
      {"/a%2Fb/%7Euser", "h.test", none, "h.test", 80, false, "/a%2Fb/%7Euser",
       "http://h.test/a%2Fb/%7Euser"},
      // absolute-form wins over Host
      {"http://example.com/p", "other.test", none, "example.com", 80, false, "/p",
       "http://example.com/p"},
      {"HTTP://Example.com:81", "", none, "Example.com", 81, false, "/", "http://Example.com:81/"},
      {"https://example.com/s?q", "", none, "example.com", 443, true, "/s?q",
       "https://example.com/s?q"},
      {"http://example.com?q=1", "", none, "example.com", 80, false, "/?q=1",
       "http://example.com/?q=1"},
      // inside a CONNECT tunnel / intercepted TLS / a redirected connection
      {"/v1", "api.example.com", tunnel, "api.example.com", 8443, false, "/v1",
       "http://api.example.com:8443/v1"},
      {"/v1", "", intercepted, "api.example.com", 443, true, "/v1", "https://api.example.com/v1"},
      {"/v1", "evil.test", intercepted, "evil.test", 443, true, "/v1", "https://evil.test/v1"},
      {"/", "", redirected, "10.0.0.5", 8080, false, "/", "http://10.0.0.5:8080/"},
      // errors
      {"/", "", none, "", 0, false, "", ""},                   // no Host
      {"*", "example.com", none, "", 0, false, "", ""},        // OPTIONS *
      {"ftp://example.com/", "", none, "", 0, false, "", ""},  // other scheme
      {"http://user@example.com/", "", none, "", 0, false, "", ""},
      {"http://example.com:0/", "", none, "", 0, false, "", ""},
      {"http://example.com:65536/", "", none, "", 0, false, "", ""},
      {"http://exa mple.com/", "", none, "", 0, false, "", ""},
      {"/", "example.com:80x", none, "", 0, false, "", ""},
      {"/", "[::1", none, "", 0, false, "", ""},
      {"http:///path", "", none, "", 0, false, "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target + " Host: " + c.host_header);
    const auto got = request_destination(c.target, c.host_header, c.defaults);
    if (c.host.empty()) {
      EXPECT_FALSE(got.ok());
      continue;
    }
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->host, c.host);
    EXPECT_EQ(got->port, c.port);
    EXPECT_EQ(got->tls, c.tls);
    EXPECT_EQ(got->path, c.path);
    EXPECT_EQ(got->url(), c.url);
  }
}

TEST(ConnectDestination, NeedsHostAndPort) {
  const auto ok = connect_destination("example.com:443");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->host, "example.com");
  EXPECT_EQ(ok->port, 443);
  const auto v6 = connect_destination("[2001:db8::1]:8443");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "2001:db8::1");
  for (const char* bad : {"example.com", "example.com:", ":443", "/path", "a@b:1", ""}) {
    EXPECT_FALSE(connect_destination(bad).ok()) << bad;
  }
  EXPECT_EQ(connect_destination("example.com").error().message,
            "CONNECT target \"example.com\" has no port");
}

}  // namespace
}  // namespace jk::launcher::proxy
