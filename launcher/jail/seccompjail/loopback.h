#pragma once
// LoopbackPairer: the seccompjail connector's plumbing. For each redirected connect it makes a
// TCP connection over loopback between two sockets the launcher owns: the agent's end (family
// AF_INET or AF_INET6, like the socket it replaces, so getsockname/setsockopt(TCP_NODELAY)...
// keep working) and the proxy's end, which the supervisor hands to Proxy::serve() with the
// original destination. The listener is private to the launcher: every TCP connect of the agent
// is redirected, so only the launcher (or another process of the pod) can reach it, and a
// connection that is not the one just made is closed, never served.
#include <utility>

#include "common/result.h"
#include "launcher/sys/endpoint.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::jail {

struct LoopbackPair {
  sys::UniqueFd agent_end;
  sys::UniqueFd proxy_end;
};

class LoopbackPairer {
 public:
  // Listens on 127.0.0.1:0.
  static Result<LoopbackPairer> create();
  // Not thread-safe: the broker makes one pair at a time.
  Result<LoopbackPair> pair(int domain);
  [[nodiscard]] const sys::Endpoint& address() const { return address_; }

 private:
  sys::UniqueFd listener_;
  sys::Endpoint address_;
};

}  // namespace jk::launcher::jail
