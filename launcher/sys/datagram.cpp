#include "launcher/sys/datagram.h"

#include <array>
#include <cstring>

namespace jk::launcher::sys {
namespace {

using Control = std::array<char, CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(in_pktinfo))>;

}  // namespace

void ask_for_destinations(int fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) return;  // NOLINT
  const int on = 1;
  if (local.ss_family == AF_INET6) {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
  } else {
    ::setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
  }
}

std::optional<Datagram> receive_datagram(int fd, std::size_t max_bytes) {
  Datagram d;
  d.bytes.resize(max_bytes);
  iovec data{d.bytes.data(), d.bytes.size()};
  alignas(cmsghdr) Control control{};
  msghdr message{};
  message.msg_name = &d.peer;
  message.msg_namelen = d.peer_length;
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  const ssize_t received = ::recvmsg(fd, &message, MSG_DONTWAIT);
  if (received <= 0) return std::nullopt;
  d.bytes.resize(static_cast<std::size_t>(received));
  d.peer_length = message.msg_namelen;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      std::memcpy(&d.to6.emplace(), CMSG_DATA(c), sizeof(in6_pktinfo));
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      std::memcpy(&d.to4.emplace(), CMSG_DATA(c), sizeof(in_pktinfo));
    }
  }
  return d;
}

void send_reply(int fd, const Datagram& query, std::span<const std::uint8_t> reply) {
  iovec data{const_cast<std::uint8_t*>(reply.data()), reply.size()};  // NOLINT: sendmsg reads
  alignas(cmsghdr) Control control{};
  msghdr message{};
  message.msg_name = const_cast<sockaddr_storage*>(&query.peer);  // NOLINT: sendmsg reads
  message.msg_namelen = query.peer_length;
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  if (query.to6 || query.to4) {
    message.msg_control = control.data();
    message.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&message);
    if (query.to6) {
      in6_pktinfo from{};
      from.ipi6_addr = query.to6->ipi6_addr;  // the interface is left to the route
      c->cmsg_level = IPPROTO_IPV6;
      c->cmsg_type = IPV6_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof(from));
      std::memcpy(CMSG_DATA(c), &from, sizeof(from));
    } else {
      in_pktinfo from{};
      from.ipi_spec_dst = query.to4->ipi_addr;
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof(from));
      std::memcpy(CMSG_DATA(c), &from, sizeof(from));
    }
    message.msg_controllen = c->cmsg_len;
  }
  ::sendmsg(fd, &message, MSG_DONTWAIT);
}

}  // namespace jk::launcher::sys
