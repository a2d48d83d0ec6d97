#include "launcher/sys/netlink.h"

#include <linux/netlink.h>
#include <sys/socket.h>

#include "launcher/sys/errno_error.h"

namespace jk::launcher::sys {
namespace {

const sockaddr* as_sockaddr(const sockaddr_nl& address) {
  return reinterpret_cast<const sockaddr*>(&address);  // NOLINT: the sockaddr API
}

}  // namespace

Result<UniqueFd> open_netlink_socket(int protocol) {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
  if (!fd) return errno_error("socket(AF_NETLINK)");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (::bind(fd.get(), as_sockaddr(local), sizeof(local)) != 0) {
    return errno_error("bind(AF_NETLINK)");
  }
  return fd;
}

Status send_to_kernel(int fd, std::span<const std::uint8_t> bytes) {
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  const ssize_t sent = retry_on_eintr([&] {
    return ::sendto(fd, bytes.data(), bytes.size(), 0, as_sockaddr(kernel), sizeof(kernel));
  });
  if (sent < 0) return errno_error("netlink send");
  if (static_cast<std::size_t>(sent) != bytes.size()) return make_error("netlink send: short");
  return {};
}

}  // namespace jk::launcher::sys
