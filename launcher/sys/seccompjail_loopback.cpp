#include "launcher/sys/seccompjail_loopback.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace jk::launcher::sys {
namespace {

constexpr int kBacklog = 64;
constexpr int kMaxStrays = 64;  // connections from others skipped per pair() at most

Error errno_error(const std::string& what) {
  return make_error(what + ": " + std::strerror(errno));
}

Result<Endpoint> local_address(int fd) {
  Endpoint e;
  e.length = sizeof(e.address);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&e.address), &e.length) != 0) {  // NOLINT
    return errno_error("getsockname");
  }
  return e;
}

Result<Endpoint> peer_address(int fd) {
  Endpoint e;
  e.length = sizeof(e.address);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&e.address), &e.length) != 0) {  // NOLINT
    return errno_error("getpeername");
  }
  return e;
}

// The listener seen from a socket of `domain` (v4-mapped for AF_INET6).
Result<Endpoint> reachable_from(const Endpoint& listener, int domain) {
  if (domain == AF_INET) return listener;
  return parse_endpoint("::ffff:" + listener.host(), listener.port());
}

bool same_port(const Endpoint& a, const Endpoint& b) { return a.port() == b.port(); }

}  // namespace

Result<LoopbackPairer> LoopbackPairer::create() {
  LoopbackPairer p;
  p.listener_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!p.listener_) return errno_error("socket");
  JK_TRY(const Endpoint any_port, parse_endpoint("127.0.0.1", 0));
  if (::bind(p.listener_.get(), any_port.sockaddr_ptr(), any_port.length) != 0) {
    return errno_error("bind(127.0.0.1:0)");
  }
  if (::listen(p.listener_.get(), kBacklog) != 0) return errno_error("listen");
  JK_TRY(p.address_, local_address(p.listener_.get()));
  return p;
}

Result<LoopbackPair> LoopbackPairer::pair(int domain) {
  if (domain != AF_INET && domain != AF_INET6) return make_error("not an IP socket family");
  LoopbackPair pair;
  pair.agent_end.reset(::socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!pair.agent_end) return errno_error("socket");
  JK_TRY(const Endpoint to, reachable_from(address_, domain));
  if (::connect(pair.agent_end.get(), to.sockaddr_ptr(), to.length) != 0) {
    return errno_error("connect(" + to.to_string() + ")");
  }
  JK_TRY(const Endpoint mine, local_address(pair.agent_end.get()));
  // Loopback connect completes in the kernel, so the connection is already queued.
  for (int stray = 0; stray <= kMaxStrays; ++stray) {
    UniqueFd accepted(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!accepted) return errno_error("accept");
    auto peer = peer_address(accepted.get());
    if (peer.ok() && same_port(*peer, mine)) {
      pair.proxy_end = std::move(accepted);
      return pair;
    }
  }
  return make_error("too many foreign connections to the launcher's loopback listener");
}

}  // namespace jk::launcher::sys
