// Sockets: loopback listeners and datagram sockets on a free port, their addresses, connect and
// accept, sends and receives, errors that name the call, the address and the option; datagrams
// answered from the address they were sent to; the eventfd + poll pair that stops a loop.
#include "launcher/sys/socket.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "launcher/sys/datagram.h"
#include "launcher/sys/event.h"

namespace jk::launcher::sys {
namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};  // NOLINT: bytes view
}

TEST(Socket, LoopbackListenerAcceptsAConnectionAndCarriesBytes) {
  auto listener = loopback_socket(SOCK_STREAM, 0);
  ASSERT_TRUE(listener.ok()) << listener.error().message;
  EXPECT_NE(::fcntl(listener->get(), F_GETFD) & FD_CLOEXEC, 0);
  auto where = local_endpoint(listener->get());
  ASSERT_TRUE(where.ok()) << where.error().message;
  EXPECT_EQ(where->host(), "127.0.0.1");
  EXPECT_NE(where->port(), 0);

  auto client = open_socket(AF_INET, SOCK_STREAM);
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(connect_socket(client->get(), *where).ok());
  EXPECT_TRUE(is_connected(client->get()));
  auto server = accept_connection(listener->get());
  ASSERT_TRUE(server.ok()) << server.error().message;
  auto peer = peer_endpoint(server->get());
  auto mine = local_endpoint(client->get());
  ASSERT_TRUE(peer.ok() && mine.ok());
  EXPECT_EQ(peer->to_string(), mine->to_string());

  ASSERT_TRUE(send_bytes(client->get(), bytes_of("hello")).ok());
  std::array<std::uint8_t, 16> buffer{};
  auto n = receive_bytes(server->get(), buffer);
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + static_cast<long>(**n)), "hello");
  EXPECT_FALSE(original_destination_option(server->get(), AF_INET).has_value());
}

TEST(Socket, NothingWaitingIsNotAnErrorAndRefusalsNameTheCall) {
  auto udp = loopback_socket(SOCK_DGRAM, 0);
  ASSERT_TRUE(udp.ok()) << udp.error().message;
  EXPECT_FALSE(is_connected(udp->get()));
  std::array<std::uint8_t, 16> buffer{};
  auto n = receive_bytes(udp->get(), buffer, MSG_DONTWAIT);
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_FALSE(n->has_value());

  auto taken = local_endpoint(udp->get());
  ASSERT_TRUE(taken.ok());
  auto again = loopback_socket(SOCK_DGRAM, taken->port());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "bind(udp 127.0.0.1:" + std::to_string(taken->port()) +
                                       "): " + std::strerror(EADDRINUSE));
  auto other = open_socket(AF_INET, SOCK_DGRAM);
  ASSERT_TRUE(other.ok());
  const Status bound = bind_socket(other->get(), *taken);
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.error().message,
            "bind(" + taken->to_string() + "): " + std::strerror(EADDRINUSE));
  const Status option = set_socket_option(-1, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
  ASSERT_FALSE(option.ok());
  EXPECT_EQ(option.error().message,
            std::string("setsockopt(SO_REUSEADDR): ") + std::strerror(EBADF));
}

TEST(Socket, RawFormsReturnMinusErrno) {
  auto s = open_socket(AF_INET, SOCK_STREAM);
  ASSERT_TRUE(s.ok());
  std::string too_short(sizeof(sa_family_t), '\0');
  const sa_family_t inet = AF_INET;
  std::memcpy(too_short.data(), &inet, sizeof(inet));
  EXPECT_EQ(connect_raw(s->get(), too_short), -EINVAL);  // an AF_INET address needs 16 bytes
  EXPECT_EQ(listen_raw(-1, 1), -EBADF);
  msghdr empty{};
  EXPECT_EQ(send_message_raw(s->get(), empty, 0), -EPIPE);  // not connected: EPIPE w/o SIGPIPE
  EXPECT_FALSE(is_nonblocking(s->get()));
  auto nonblocking = open_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
  ASSERT_TRUE(nonblocking.ok());
  ASSERT_TRUE(copy_nonblocking(nonblocking->get(), s->get()).ok());
  EXPECT_TRUE(is_nonblocking(s->get()));
}

TEST(Socket, InterfaceEndpointsAreIpAddresses) {
  for (const Endpoint& e : interface_endpoints()) {
    EXPECT_TRUE(e.family() == AF_INET || e.family() == AF_INET6) << e.to_string();
  }
}

TEST(Datagram, ReplyLeavesFromTheAddressTheQueryWasSentTo) {
  auto server = loopback_socket(SOCK_DGRAM, 0);
  ASSERT_TRUE(server.ok()) << server.error().message;
  ask_for_destinations(server->get());
  auto where = local_endpoint(server->get());
  auto client = open_socket(AF_INET, SOCK_DGRAM);
  ASSERT_TRUE(where.ok() && client.ok());
  ASSERT_TRUE(connect_socket(client->get(), *where).ok());  // accepts replies from there only
  ASSERT_TRUE(send_bytes(client->get(), bytes_of("query")).ok());

  std::array<pollfd, 1> ready{pollfd{server->get(), POLLIN, 0}};
  auto polled = poll_fds(ready, -1);
  ASSERT_TRUE(polled.ok() && *polled == 1);
  auto query = receive_datagram(server->get(), 512);
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(std::string(query->bytes.begin(), query->bytes.end()), "query");
  ASSERT_TRUE(query->to4.has_value());
  EXPECT_EQ(query->to4->ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
  EXPECT_FALSE(receive_datagram(server->get(), 512).has_value());  // nothing else waiting

  send_reply(server->get(), *query, bytes_of("answer"));
  std::array<std::uint8_t, 16> buffer{};
  auto n = receive_bytes(client->get(), buffer);
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + static_cast<long>(**n)), "answer");
}

TEST(Event, PollSeesTheEventOnlyOnceSignalled) {
  auto event = make_event();
  ASSERT_TRUE(event.ok()) << event.error().message;
  std::array<pollfd, 1> fds{pollfd{event->get(), POLLIN, 0}};
  auto before = poll_fds(fds, 0);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(*before, 0);
  signal_event(event->get());
  auto after = poll_fds(fds, 0);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, 1);
  std::array<pollfd, 1> bad{pollfd{-1, POLLIN, 0}};
  EXPECT_TRUE(poll_fds(bad, 0).ok());  // negative fds are ignored by poll(2)
}

}  // namespace
}  // namespace jk::launcher::sys
