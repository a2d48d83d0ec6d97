#pragma once
// The seccompjail broker: the launcher thread that answers the agent's connect/sendto/sendmsg/
// sendmmsg notifications (see policy.h for what is decided). A TCP connect gets the
// launcher's own socket, connected to the proxy by `connector`, installed in place of the agent's
// descriptor (SECCOMP_IOCTL_NOTIF_ADDFD + SETFD) with the agent's O_NONBLOCK and FD_CLOEXEC;
// everything else that is allowed is performed by the launcher on the agent's socket (fetched
// with pidfd_getfd) with the address copied once. SECCOMP_USER_NOTIF_FLAG_CONTINUE is never used:
// the kernel would re-read the address and the descriptor table, which a racing agent thread can
// change after the check.
#include <functional>
#include <memory>
#include <optional>

#include "common/result.h"
#include "launcher/jail/seccompjail/policy.h"
#include "launcher/sys/endpoint.h"
#include "launcher/sys/seccomp_notify.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::jail {

// Returns a socket of family `domain` connected to the proxy, which will treat the connection as
// one to `original` (the supervisor connects and calls Proxy::serve(other_end, original)).
using Connector = std::function<Result<sys::UniqueFd>(const sys::Endpoint& original, int domain)>;

struct BrokerOptions {
  SeccompjailPolicy policy;
  Connector connector;
  // The DNS stub's UDP address (launcher/net/dns_stub.h on 127.0.0.1:0; AF_INET6 agent sockets
  // reach it as ::ffff:127.0.0.1). Without one, DNS is refused like other UDP.
  std::optional<sys::Endpoint> dns_stub;
};

class Broker {
 public:
  Broker(sys::UniqueFd listener, BrokerOptions options);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Answers notifications until no process uses the filter any more (all agent processes have
  // exited) or stop() is called. An error means the listener failed: the agent's network calls
  // then fail (ENOSYS), never bypass.
  Status run();
  // Thread-safe; run() returns soon after.
  void stop();

  // One notification (run() calls this; tests may too).
  void handle(const sys::Notification& notification);

 private:
  class Core;
  std::shared_ptr<Core> core_;  // shared with threads that finish blocking sends
  sys::UniqueFd stop_event_;
};

}  // namespace jk::launcher::jail
