#pragma once
// What seccompjail does with one address-carrying syscall: a pure function of the socket's kind,
// the destination (copied once from the agent) and the options, table-tested.
#include <string>

#include "launcher/jail/seccompjail/target.h"
#include "launcher/sys/seccomp_notify.h"

namespace jk::launcher::jail {

struct SeccompjailPolicy {
  // AF_UNIX connect/sendto: local IPC (Docker/containerd sockets are not mounted in agent pods
  // by the webhook; a pod that mounts one has chosen to). Allowed by default, performed by the
  // launcher on the agent's socket with the copied path, never with SECCOMP_USER_NOTIF_FLAG_
  // CONTINUE. false refuses them with EACCES.
  bool allow_unix = true;
  // UDP to port 53 always goes to the launcher's DNS stub, whatever address the agent named;
  // --use-real-dns puts the stub in forward mode (to the launcher's resolv.conf nameserver), as
  // in nsjail. Passing it through instead would open a UDP channel to any host on port 53.
};

enum class Action {
  kRedirectToProxy,  // TCP connect: the launcher's socket, connected to the proxy, replaces it
  kDnsStub,          // UDP to port 53: sent/connected to the DNS stub instead
  kPassThrough,      // performed by the launcher on the agent's socket with the copied address
  kRefuse,           // answered with -error
};

enum class Call { kConnect, kSend };

struct Request {
  Call call = Call::kConnect;
  sys::SocketKind socket;
  bool has_address = true;  // sendmsg with msg_name == NULL: false
  Target target;            // meaningful when has_address
  bool fast_open = false;   // MSG_FASTOPEN in the send flags
};

struct Verdict {
  Action action = Action::kRefuse;
  int error = 0;       // for kRefuse
  std::string reason;  // for logs: "udp to 10.0.0.1:123"
};

Verdict decide(const SeccompjailPolicy& policy, const Request& request);

}  // namespace jk::launcher::jail
