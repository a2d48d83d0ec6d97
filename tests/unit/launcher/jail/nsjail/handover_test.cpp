// The nsjail parent/child protocol over the socketpair, without a jail.
#include "launcher/jail/nsjail/handover.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace jk::launcher::jail {
namespace {

sys::UniqueFd udp_socket_on(std::uint16_t* port) {
  sys::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof(local));  // NOLINT
  socklen_t length = sizeof(local);
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &length);  // NOLINT
  *port = ntohs(local.sin_port);
  return fd;
}

std::uint16_t port_of(int fd) {
  sockaddr_in local{};
  socklen_t length = sizeof(local);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);  // NOLINT
  return ntohs(local.sin_port);
}

TEST(NsjailHandoverTest, SocketsArriveAsNewDescriptorsForTheSameSockets) {
  auto pair = make_handover_pair();
  ASSERT_TRUE(pair.ok());
  std::uint16_t first = 0;
  std::uint16_t second = 0;
  JailSockets sent{udp_socket_on(&first), udp_socket_on(&second)};
  ASSERT_TRUE(send_sockets(pair->child.get(), sent).ok());
  auto received = receive_sockets(pair->parent.get());
  ASSERT_TRUE(received.ok()) << received.error().message;
  EXPECT_NE(received->tcp_listener.get(), sent.tcp_listener.get());
  EXPECT_EQ(port_of(received->tcp_listener.get()), first);
  EXPECT_EQ(port_of(received->dns_socket.get()), second);
}

TEST(NsjailHandoverTest, ChildFailureAndSilentDeathAreErrors) {
  struct Case {
    const char* name;
    bool send_failure_first;
    const char* expected;
  };
  const Case cases[] = {
      {"failure message", true, "nsjail: firewall: Operation not permitted"},
      {"child closed without a word", false, ""},
  };
  for (const Case& c : cases) {
    auto pair = make_handover_pair();
    ASSERT_TRUE(pair.ok());
    if (c.send_failure_first) {
      ASSERT_TRUE(send_failure(pair->child.get(), c.expected).ok());
    }
    pair->child.reset();
    const auto received = receive_sockets(pair->parent.get());
    ASSERT_FALSE(received.ok()) << c.name;
    EXPECT_EQ(received.error().message, c.expected) << c.name;
  }
}

TEST(NsjailHandoverTest, GoIsWaitedForAndALostParentIsAnError) {
  auto pair = make_handover_pair();
  ASSERT_TRUE(pair.ok());
  ASSERT_TRUE(send_go(pair->parent.get()).ok());
  EXPECT_TRUE(wait_for_go(pair->child.get()).ok());
  pair->parent.reset();
  EXPECT_FALSE(wait_for_go(pair->child.get()).ok());
}

}  // namespace
}  // namespace jk::launcher::jail
