#include <sys/socket.h>

#include "launcher/proxy/proxy.h"
#include "launcher/proxy/socket_addresses.h"
#include "launcher/sys/socket.h"

namespace jk::launcher::proxy {
namespace {

constexpr int kListenBacklog = 1024;

Result<sys::UniqueFd> open_listener(const sys::Endpoint& where) {
  JK_TRY(sys::UniqueFd fd, sys::open_socket(where.family(), SOCK_STREAM | SOCK_NONBLOCK));
  JK_TRY_STATUS(sys::set_socket_option(fd.get(), SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR"));
  JK_TRY_STATUS(sys::bind_socket(fd.get(), where));
  JK_TRY_STATUS(sys::listen_socket(fd.get(), kListenBacklog));
  return fd;
}

}  // namespace

Result<sys::UniqueFd> listen_tcp(const sys::Endpoint& where) {
  auto fd = open_listener(where);
  if (!fd.ok()) return fd.error().wrap("listen " + where.to_string());
  return fd;
}

Result<std::uint16_t> local_port(int fd) {
  JK_TRY(const sys::Endpoint local, sys::local_endpoint(fd));
  return local.port();
}

}  // namespace jk::launcher::proxy
