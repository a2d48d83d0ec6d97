#pragma once
// Sockets: made close-on-exec, bound, connected, their addresses and options; loopback sockets
// for the jails; and the raw forms the seccompjail broker uses on the agent's behalf (0 or
// -errno, handed back to the agent as its syscall's result). Errors name the call (and the
// address) and errno.
#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "launcher/sys/endpoint.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

// socket(domain, type | SOCK_CLOEXEC, protocol).
Result<UniqueFd> open_socket(int domain, int type, int protocol = 0);
Status bind_socket(int fd, const Endpoint& where);
Status listen_socket(int fd, int backlog);
Status connect_socket(int fd, const Endpoint& to);
// accept4(..., SOCK_CLOEXEC).
Result<UniqueFd> accept_connection(int listener);
// setsockopt with an int value; `what` names the option in errors ("SO_REUSEADDR").
Status set_socket_option(int fd, int level, int name, int value, std::string_view what);
// getsockname / getpeername.
Result<Endpoint> local_endpoint(int fd);
Result<Endpoint> peer_endpoint(int fd);

// A socket of `type` (SOCK_STREAM: listening) bound to 127.0.0.1:port (0: any free port).
// Errors name "tcp 127.0.0.1:<port>" or "udp ...".
Result<UniqueFd> loopback_socket(int type, std::uint16_t port, int backlog = SOMAXCONN);

// send(2) of the whole buffer in one call (datagram sockets), retried on EINTR.
Status send_bytes(int fd, std::span<const std::uint8_t> bytes, int flags = 0);
// recv(2) retried on EINTR: the byte count (0: end of stream or an empty datagram), nullopt
// when nothing is waiting (EAGAIN on a non-blocking call).
Result<std::optional<std::size_t>> receive_bytes(int fd, std::span<std::uint8_t> buffer,
                                                 int flags = 0);

// The IPv4 and IPv6 addresses of this network namespace's interfaces (getifaddrs; port 0);
// empty when they cannot be listed.
std::vector<Endpoint> interface_endpoints();

// SO_ORIGINAL_DST (IPv4) / IP6T_SO_ORIGINAL_DST (IPv6) of a redirected connection accepted on
// a socket of `family`; nullopt when the kernel has none.
std::optional<Endpoint> original_destination_option(int fd, int family);

// --- for the seccompjail broker (results are handed back to the agent) ---
// connect(fd, raw sockaddr bytes): 0 or -errno.
int connect_raw(int fd, const std::string& address);
// listen(fd, backlog): 0 or -errno.
int listen_raw(int fd, int backlog);
// sendmsg(fd, message, flags | MSG_NOSIGNAL): bytes sent or -errno.
std::int64_t send_message_raw(int fd, const msghdr& message, int flags);
// O_NONBLOCK of the open file.
bool is_nonblocking(int fd);
// Sets O_NONBLOCK on `to` as it is on `from`.
Status copy_nonblocking(int from, int to);
// Copies the options an agent commonly sets before connect (TCP_NODELAY, keep-alive and its
// timers, SO_LINGER, TCP_USER_TIMEOUT) from its socket to the one that replaces it. Options the
// source socket cannot report are skipped.
void copy_tcp_options(int from, int to);
// getpeername() succeeds.
bool is_connected(int fd);

}  // namespace jk::launcher::sys
