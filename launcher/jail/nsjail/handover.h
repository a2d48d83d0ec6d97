#pragma once
// The nsjail parent and child talk over one SOCK_SEQPACKET socketpair:
//   parent -> child: "go" once the uid/gid maps are written (the child waits for it);
//   child -> parent: "ok" + [tcp listener, dns socket] as SCM_RIGHTS, or "error: <why>".
#include <string>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::jail {

struct HandoverPair {
  sys::UniqueFd parent;
  sys::UniqueFd child;
};
Result<HandoverPair> make_handover_pair();

struct JailSockets {
  sys::UniqueFd tcp_listener;
  sys::UniqueFd dns_socket;
};

Status send_go(int fd);
Status wait_for_go(int fd);

// Child side.
Status send_sockets(int fd, const JailSockets& sockets);
Status send_failure(int fd, const std::string& message);
// Parent side: the sockets, or the child's error ("" message when it died without a word).
Result<JailSockets> receive_sockets(int fd);

}  // namespace jk::launcher::jail
