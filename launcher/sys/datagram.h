#pragma once
// UDP datagrams that remember the local address they were sent to (IP_PKTINFO /
// IPV6_PKTINFO), so a reply can leave from that very address: what a DNS server on a socket
// bound to a wildcard or redirected to by the firewall needs.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace jk::launcher::sys {

struct Datagram {
  std::vector<std::uint8_t> bytes;
  sockaddr_storage peer{};  // who sent it
  socklen_t peer_length = sizeof(sockaddr_storage);
  std::optional<in6_pktinfo> to6;  // where it was sent to, when the kernel said
  std::optional<in_pktinfo> to4;
};

// Asks the kernel to report each datagram's destination (IPV6_RECVPKTINFO or IP_PKTINFO, by
// the socket's family). Best effort: without it replies leave from the routed source.
void ask_for_destinations(int fd);
// One waiting datagram of at most `max_bytes` (MSG_DONTWAIT); nullopt when none is waiting.
std::optional<Datagram> receive_datagram(int fd, std::size_t max_bytes);
// Sends `reply` to the sender of `query`, from the address `query` was sent to. Best effort
// (MSG_DONTWAIT): UDP's client retries.
void send_reply(int fd, const Datagram& query, std::span<const std::uint8_t> reply);

}  // namespace jk::launcher::sys
