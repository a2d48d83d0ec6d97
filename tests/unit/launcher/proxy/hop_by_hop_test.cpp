#include "launcher/proxy/hop_by_hop.h"

#include <gtest/gtest.h>

#include <string>

namespace jk::launcher::proxy {
namespace {

TEST(ConnectionTokens, SplitTrimAndLowerCase) {
  EXPECT_EQ(connection_tokens({"close, X-Foo", " Keep-Alive ,,x-bar"}),
            (std::vector<std::string>{"close", "x-foo", "keep-alive", "x-bar"}));
  EXPECT_TRUE(connection_tokens({}).empty());
}

TEST(IsHopByHop, Rfc9110FieldsAndConnectionListed) {
  const std::vector<std::string> listed = {"x-secret", "close"};
  struct Case {
    const char* name;
    bool hop;
  };
  const Case cases[] = {
      {"Connection", true},
      {"Keep-Alive", true},
      {"TE", true},
      {"Trailer", true},
      {"Upgrade", true},
      {"Proxy-Authorization", true},
      {"proxy-connection", true},
      {"Proxy-Authenticate", true},
      {"X-Secret", true},
      {"Transfer-Encoding", false},  // framing: re-framed by the serializer
      {"Content-Length", false},
      {"Host", false},
      {"Authorization", false},
      {"Content-Type", false},
      {"X-Other", false},
      {"Trailers", false},
  };
  for (const Case& c : cases) EXPECT_EQ(is_hop_by_hop(c.name, listed), c.hop) << c.name;
}

TEST(IsHopByHop, ContentLengthStaysEvenWhenListed) {
  EXPECT_FALSE(is_hop_by_hop("Content-Length", {"content-length"}));
}

TEST(IsWebsocketUpgrade, NeedsBothHeaders) {
  EXPECT_TRUE(is_websocket_upgrade({"upgrade"}, "websocket"));
  EXPECT_TRUE(is_websocket_upgrade({"keep-alive", "upgrade"}, "WebSocket"));
  EXPECT_TRUE(is_websocket_upgrade({"upgrade"}, "foo, websocket"));
  EXPECT_FALSE(is_websocket_upgrade({}, "websocket"));
  EXPECT_FALSE(is_websocket_upgrade({"upgrade"}, "h2c"));
  EXPECT_FALSE(is_websocket_upgrade({"upgrade"}, ""));
}

}  // namespace
}  // namespace jk::launcher::proxy
