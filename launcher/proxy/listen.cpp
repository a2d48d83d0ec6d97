#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "launcher/proxy/proxy.h"
#include "launcher/proxy/socket_addresses.h"

namespace jk::launcher::proxy {
namespace {

constexpr int kListenBacklog = 1024;

Error socket_error(std::string_view what, const sys::Endpoint& where) {
  return make_error("listen " + where.to_string() + ": " + std::string(what) + ": " +
                    std::strerror(errno));
}

}  // namespace

Result<sys::UniqueFd> listen_tcp(const sys::Endpoint& where) {
  sys::UniqueFd fd(::socket(where.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return socket_error("socket", where);
  const int one = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
    return socket_error("SO_REUSEADDR", where);
  }
  if (::bind(fd.get(), where.sockaddr_ptr(), where.length) != 0) {
    return make_error("listen " + where.to_string() + ": " + std::strerror(errno));
  }
  if (::listen(fd.get(), kListenBacklog) != 0) return socket_error("listen", where);
  return fd;
}

Result<std::uint16_t> local_port(int fd) {
  JK_TRY(const sys::Endpoint local, local_endpoint(fd));
  return local.port();
}

}  // namespace jk::launcher::proxy
