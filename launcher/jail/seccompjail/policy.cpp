#include "launcher/jail/seccompjail/policy.h"

#include <netinet/in.h>

#include <cerrno>

namespace jk::launcher::jail {
namespace {

constexpr std::uint16_t kDnsPort = 53;
#ifndef IPPROTO_MPTCP
constexpr int IPPROTO_MPTCP = 262;
#endif

Verdict refuse(int error, std::string reason) {
  return {Action::kRefuse, error, std::move(reason)};
}
Verdict act(Action action, std::string reason) { return {action, 0, std::move(reason)}; }

bool is_ip(int domain) { return domain == AF_INET || domain == AF_INET6; }
bool is_tcp(const sys::SocketKind& s) {
  return s.type == SOCK_STREAM &&
         (s.protocol == 0 || s.protocol == IPPROTO_TCP || s.protocol == IPPROTO_MPTCP);
}
bool is_udp(const sys::SocketKind& s) {
  return s.type == SOCK_DGRAM &&
         (s.protocol == 0 || s.protocol == IPPROTO_UDP || s.protocol == IPPROTO_UDPLITE);
}

Verdict decide_udp(const sys::Endpoint& to) {
  if (to.port() != kDnsPort) return refuse(EACCES, "udp to " + to.to_string());
  return act(Action::kDnsStub, "dns to " + to.to_string() + " answered by the stub");
}

Verdict decide_ip(const Request& r) {
  const auto& s = r.socket;
  if (!r.has_address) return act(Action::kPassThrough, "send on its own socket");
  if (r.target.family == AF_UNSPEC && r.call == Call::kConnect) {
    return act(Action::kPassThrough, "disconnect");
  }
  if (!r.target.endpoint) return refuse(EAFNOSUPPORT, "address family mismatch");
  const sys::Endpoint& to = *r.target.endpoint;
  if (is_tcp(s) && r.call == Call::kConnect) {
    return act(Action::kRedirectToProxy, "tcp to " + to.to_string());
  }
  if (is_tcp(s)) {
    // TCP ignores a send address unless MSG_FASTOPEN (which would connect): send without it.
    if (r.fast_open) return refuse(EOPNOTSUPP, "tcp fast open to " + to.to_string());
    return act(Action::kPassThrough, "tcp send (address ignored)");
  }
  if (is_udp(s)) return decide_udp(to);
  return refuse(EACCES, "ip socket type " + std::to_string(s.type) + " protocol " +
                            std::to_string(s.protocol) + " to " + to.to_string());
}

}  // namespace

Verdict decide(const SeccompjailPolicy& policy, const Request& r) {
  const int domain = r.socket.domain;
  if (is_ip(domain)) return decide_ip(r);
  if (domain == AF_UNIX) {
    if (!r.has_address || policy.allow_unix) return act(Action::kPassThrough, "unix socket");
    return refuse(EACCES, "unix socket connect/sendto refused by configuration");
  }
  // Only NETLINK_ROUTE sockets can exist (the filter refuses the rest); changes need
  // CAP_NET_ADMIN of the socket's opener, which the agent never has.
  if (domain == AF_NETLINK) return act(Action::kPassThrough, "netlink route");
  return refuse(EACCES, "socket family " + std::to_string(domain));
}

}  // namespace jk::launcher::jail
