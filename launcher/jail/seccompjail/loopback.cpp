#include "launcher/jail/seccompjail/loopback.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "launcher/sys/socket.h"

namespace jk::launcher::jail {
namespace {

constexpr int kBacklog = 64;
constexpr int kMaxStrays = 64;  // connections from others skipped per pair() at most

// The listener seen from a socket of `domain` (v4-mapped for AF_INET6).
Result<sys::Endpoint> reachable_from(const sys::Endpoint& listener, int domain) {
  if (domain == AF_INET) return listener;
  return sys::parse_endpoint("::ffff:" + listener.host(), listener.port());
}

bool same_port(const sys::Endpoint& a, const sys::Endpoint& b) { return a.port() == b.port(); }

}  // namespace

Result<LoopbackPairer> LoopbackPairer::create() {
  LoopbackPairer p;
  JK_TRY(p.listener_, sys::loopback_socket(SOCK_STREAM, 0, kBacklog));
  JK_TRY(p.address_, sys::local_endpoint(p.listener_.get()));
  return p;
}

Result<LoopbackPair> LoopbackPairer::pair(int domain) {
  if (domain != AF_INET && domain != AF_INET6) return make_error("not an IP socket family");
  LoopbackPair pair;
  JK_TRY(pair.agent_end, sys::open_socket(domain, SOCK_STREAM));
  JK_TRY(const sys::Endpoint to, reachable_from(address_, domain));
  JK_TRY_STATUS(sys::connect_socket(pair.agent_end.get(), to));
  JK_TRY(const sys::Endpoint mine, sys::local_endpoint(pair.agent_end.get()));
  // Loopback connect completes in the kernel, so the connection is already queued.
  for (int stray = 0; stray <= kMaxStrays; ++stray) {
    JK_TRY(sys::UniqueFd accepted, sys::accept_connection(listener_.get()));
    auto peer = sys::peer_endpoint(accepted.get());
    if (peer.ok() && same_port(*peer, mine)) {
      pair.proxy_end = std::move(accepted);
      return pair;
    }
  }
  return make_error("too many foreign connections to the launcher's loopback listener");
}

}  // namespace jk::launcher::jail
