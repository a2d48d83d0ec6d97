#include "launcher/proxy/socket_addresses.h"

#include <gtest/gtest.h>

#include "launcher/proxy/proxy.h"

namespace jk::launcher::proxy {
namespace {

sys::Endpoint at(const char* host, std::uint16_t port) { return *sys::parse_endpoint(host, port); }

TEST(ReachesListener, SameAddressWildcardOrLoopbackOnThePort) {
  struct Case {
    sys::Endpoint target;
    sys::Endpoint own;
    bool loops;
  };
  const Case cases[] = {
      {at("10.0.0.1", 8080), at("10.0.0.1", 8080), true},
      {at("10.0.0.2", 8080), at("0.0.0.0", 8080), true},
      {at("127.0.0.1", 8080), at("10.0.0.1", 8080), true},
      {at("::1", 8080), at("::1", 8080), true},
      {at("10.0.0.2", 8080), at("10.0.0.1", 8080), false},
      {at("127.0.0.1", 8081), at("127.0.0.1", 8080), false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(reaches_listener(c.target, c.own), c.loops)
        << c.target.to_string() << " vs " << c.own.to_string();
  }
}

TEST(ListenTcp, PortZeroPicksAPortAndNoOriginalDestinationWithoutRedirect) {
  auto fd = listen_tcp(at("127.0.0.1", 0));
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  const auto port = local_port(fd->get());
  ASSERT_TRUE(port.ok());
  EXPECT_NE(*port, 0);
  EXPECT_FALSE(original_destination(fd->get()).has_value());
  const auto taken = listen_tcp(at("127.0.0.1", *port));
  ASSERT_FALSE(taken.ok());
  EXPECT_NE(taken.error().message.find("listen 127.0.0.1:" + std::to_string(*port)),
            std::string::npos)
      << taken.error().message;
}

}  // namespace
}  // namespace jk::launcher::proxy
