#include "launcher/sys/socket.h"

#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>

#include "launcher/sys/errno_error.h"

namespace jk::launcher::sys {
namespace {

const sockaddr* as_sockaddr(const void* storage) { return static_cast<const sockaddr*>(storage); }

sockaddr* as_sockaddr(void* storage) { return static_cast<sockaddr*>(storage); }

using AddressQuery = int (*)(int, sockaddr*, socklen_t*);

Result<Endpoint> query_endpoint(int fd, AddressQuery query, const char* what) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  if (query(fd, as_sockaddr(&storage), &length) != 0) return errno_error(what);
  return endpoint_from_sockaddr(as_sockaddr(&storage), length);
}

}  // namespace

Result<UniqueFd> open_socket(int domain, int type, int protocol) {
  UniqueFd fd(::socket(domain, type | SOCK_CLOEXEC, protocol));
  if (!fd) return errno_error("socket");
  return fd;
}

Status bind_socket(int fd, const Endpoint& where) {
  if (::bind(fd, where.sockaddr_ptr(), where.length) != 0) {
    return errno_error("bind(" + where.to_string() + ")");
  }
  return {};
}

Status listen_socket(int fd, int backlog) {
  if (::listen(fd, backlog) != 0) return errno_error("listen");
  return {};
}

Status connect_socket(int fd, const Endpoint& to) {
  if (::connect(fd, to.sockaddr_ptr(), to.length) != 0) {
    return errno_error("connect(" + to.to_string() + ")");
  }
  return {};
}

Result<UniqueFd> accept_connection(int listener) {
  UniqueFd accepted(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (!accepted) return errno_error("accept");
  return accepted;
}

Status set_socket_option(int fd, int level, int name, int value, std::string_view what) {
  if (::setsockopt(fd, level, name, &value, sizeof(value)) != 0) {
    return errno_error("setsockopt(" + std::string(what) + ")");
  }
  return {};
}

Result<Endpoint> local_endpoint(int fd) { return query_endpoint(fd, ::getsockname, "getsockname"); }

Result<Endpoint> peer_endpoint(int fd) { return query_endpoint(fd, ::getpeername, "getpeername"); }

Result<UniqueFd> loopback_socket(int type, std::uint16_t port, int backlog) {
  const char* kind = type == SOCK_STREAM ? "tcp" : "udp";
  const std::string where = std::string(kind) + " 127.0.0.1:" + std::to_string(port);
  UniqueFd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error("socket(" + where + ")");
  JK_TRY(const Endpoint local, parse_endpoint("127.0.0.1", port));
  if (::bind(fd.get(), local.sockaddr_ptr(), local.length) != 0) {
    return errno_error("bind(" + where + ")");
  }
  if (type == SOCK_STREAM && ::listen(fd.get(), backlog) != 0) {
    return errno_error("listen(" + where + ")");
  }
  return fd;
}

Status send_bytes(int fd, std::span<const std::uint8_t> bytes, int flags) {
  const ssize_t n = retry_on_eintr([&] { return ::send(fd, bytes.data(), bytes.size(), flags); });
  if (n < 0) return errno_error("send");
  if (static_cast<std::size_t>(n) != bytes.size()) return make_error("send: short");
  return {};
}

Result<std::optional<std::size_t>> receive_bytes(int fd, std::span<std::uint8_t> buffer,
                                                 int flags) {
  const ssize_t n = retry_on_eintr([&] { return ::recv(fd, buffer.data(), buffer.size(), flags); });
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return std::optional<std::size_t>();
  if (n < 0) return errno_error("recv");
  return std::optional<std::size_t>(static_cast<std::size_t>(n));
}

std::optional<Endpoint> original_destination_option(int fd, int family) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  const bool v6 = family == AF_INET6;
  const int level = v6 ? SOL_IPV6 : SOL_IP;
  const int option = v6 ? IP6T_SO_ORIGINAL_DST : SO_ORIGINAL_DST;
  if (::getsockopt(fd, level, option, &storage, &length) != 0) return std::nullopt;
  auto destination = endpoint_from_sockaddr(as_sockaddr(&storage), length);
  if (!destination.ok()) return std::nullopt;
  return *destination;
}

std::vector<Endpoint> interface_endpoints() {
  std::vector<Endpoint> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    const sockaddr* addr = entry->ifa_addr;
    if (addr == nullptr || (addr->sa_family != AF_INET && addr->sa_family != AF_INET6)) continue;
    const socklen_t length =
        addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    auto endpoint = endpoint_from_sockaddr(addr, length);
    if (endpoint.ok()) out.push_back(*endpoint);
  }
  ::freeifaddrs(list);
  return out;
}

int connect_raw(int fd, const std::string& address) {
  const int rc = ::connect(fd, as_sockaddr(address.data()), static_cast<socklen_t>(address.size()));
  return rc < 0 ? -errno : 0;
}

int listen_raw(int fd, int backlog) { return ::listen(fd, backlog) < 0 ? -errno : 0; }

std::int64_t send_message_raw(int fd, const msghdr& message, int flags) {
  const ssize_t n = ::sendmsg(fd, &message, flags | MSG_NOSIGNAL);
  return n < 0 ? -errno : n;
}

bool is_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_NONBLOCK) != 0;
}

Status copy_nonblocking(int from, int to) {
  const int flags = ::fcntl(to, F_GETFL);
  if (flags < 0) return errno_error("fcntl(F_GETFL)");
  const int wanted = is_nonblocking(from) ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (::fcntl(to, F_SETFL, wanted) < 0) return errno_error("fcntl(F_SETFL)");
  return {};
}

void copy_tcp_options(int from, int to) {
  struct Option {
    int level;
    int name;
  };
  static constexpr Option kIntOptions[] = {
      {IPPROTO_TCP, TCP_NODELAY},   {SOL_SOCKET, SO_KEEPALIVE}, {IPPROTO_TCP, TCP_KEEPIDLE},
      {IPPROTO_TCP, TCP_KEEPINTVL}, {IPPROTO_TCP, TCP_KEEPCNT}, {IPPROTO_TCP, TCP_USER_TIMEOUT}};
  for (const auto& o : kIntOptions) {
    int value = 0;
    socklen_t len = sizeof(value);
    if (::getsockopt(from, o.level, o.name, &value, &len) == 0) {
      ::setsockopt(to, o.level, o.name, &value, len);
    }
  }
  linger l{};
  socklen_t len = sizeof(l);
  if (::getsockopt(from, SOL_SOCKET, SO_LINGER, &l, &len) == 0 && l.l_onoff != 0) {
    ::setsockopt(to, SOL_SOCKET, SO_LINGER, &l, len);
  }
}

bool is_connected(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  return ::getpeername(fd, as_sockaddr(&peer), &len) == 0;
}

}  // namespace jk::launcher::sys
