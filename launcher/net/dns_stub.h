#pragma once
// DnsStub: answers DNS queries arriving on a UDP socket, on its own thread. The socket is the
// one the nsjail child bound to [::]:<dns port> (both families; 127.0.0.1 where the jail has no
// IPv6) inside the jail's netns, where the firewall redirects every udp/53, and handed to the
// parent; seccompjail uses the same stub. Each reply leaves from the address its query was sent
// to (IP_PKTINFO / IPV6_PKTINFO), which the jail's connection tracking needs.
//
// Default: placeholder answers (dns_answer.h). Forward mode (--use-real-dns): each query is
// relayed to the nameserver from the launcher's /etc/resolv.conf and the reply sent back; up to
// kMaxInFlight queries wait for their replies at once, each for at most `upstream_timeout` (a
// lost reply delays only its own query; the client retries it).
#include <poll.h>

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include "common/result.h"
#include "launcher/sys/endpoint.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::net {

struct DnsStubOptions {
  std::optional<sys::Endpoint> upstream;  // set = forward mode
  std::chrono::milliseconds upstream_timeout{2000};
};

struct ForwardedQuery;  // dns_stub.cpp

class DnsStub {
 public:
  static constexpr std::size_t kMaxInFlight = 64;

  // Takes the bound UDP socket and starts serving.
  static Result<std::unique_ptr<DnsStub>> start(sys::UniqueFd socket, DnsStubOptions options);
  DnsStub(const DnsStub&) = delete;
  DnsStub& operator=(const DnsStub&) = delete;
  ~DnsStub();  // stops

  void stop();

 private:
  DnsStub(sys::UniqueFd socket, sys::UniqueFd wake, DnsStubOptions options);
  void run();
  void relay_replies(const std::vector<pollfd>& fds, std::vector<ForwardedQuery>& waiting);
  void take_query(std::vector<ForwardedQuery>& waiting);

  sys::UniqueFd socket_;
  sys::UniqueFd wake_;  // eventfd: written by stop()
  DnsStubOptions options_;
  std::thread thread_;
};

// The first `nameserver` of resolv.conf text, port 53. Pure.
Result<sys::Endpoint> nameserver_from_resolv_conf(std::string_view text);
// Reads /etc/resolv.conf (or `path`).
Result<sys::Endpoint> system_nameserver(const char* path = "/etc/resolv.conf");

}  // namespace jk::launcher::net
