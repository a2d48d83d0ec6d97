#include "launcher/net/dns_stub.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "common/log.h"
#include "launcher/net/dns_answer.h"
#include "launcher/sys/datagram.h"
#include "launcher/sys/event.h"
#include "launcher/sys/socket.h"

namespace jk::launcher::net {

// A forwarded query waiting for its reply, on a socket connected to the upstream (only the
// upstream's datagrams arrive there).
struct ForwardedQuery {
  sys::Datagram query;
  sys::UniqueFd upstream;
  std::chrono::steady_clock::time_point deadline;
};

namespace {

constexpr std::size_t kMaxUdpMessage = 65535;
constexpr std::uint16_t kDnsPort = 53;

}  // namespace

Result<std::unique_ptr<DnsStub>> DnsStub::start(sys::UniqueFd socket, DnsStubOptions options) {
  if (!socket) return make_error("dns stub: no socket");
  auto wake = sys::make_event();
  if (!wake.ok()) return wake.error().wrap("dns stub");
  // Replies must leave from the address the query was sent to: the firewall redirected the query
  // to 127.0.0.1 or ::1, and only a reply from there matches the connection tracking entry that
  // turns its source back into the resolver the agent asked. A socket bound to [::] would
  // otherwise pick the source by route (for IPv4 the resolver's own address, as every address is
  // local in the jail), which the firewall drops. So the destination of each query is read
  // (IP_PKTINFO / IPV6_PKTINFO) and used as the source of its reply.
  sys::ask_for_destinations(socket.get());
  std::unique_ptr<DnsStub> stub(new DnsStub(std::move(socket), std::move(*wake), options));
  stub->thread_ = std::thread([raw = stub.get()] { raw->run(); });
  return stub;
}

DnsStub::DnsStub(sys::UniqueFd socket, sys::UniqueFd wake, DnsStubOptions options)
    : socket_(std::move(socket)), wake_(std::move(wake)), options_(options) {}

DnsStub::~DnsStub() { stop(); }

void DnsStub::stop() {
  if (!thread_.joinable()) return;
  sys::signal_event(wake_.get());
  thread_.join();
}

namespace {

Result<ForwardedQuery> forward(sys::Datagram query, const DnsStubOptions& options) {
  const sys::Endpoint& upstream = *options.upstream;
  auto fd = sys::open_socket(upstream.family(), SOCK_DGRAM | SOCK_NONBLOCK);
  if (!fd.ok()) return fd.error().wrap("dns forward");
  if (const Status connected = sys::connect_socket(fd->get(), upstream); !connected) {
    return connected.error().wrap("dns forward");
  }
  if (const Status sent = sys::send_bytes(fd->get(), query.bytes); !sent) {
    return sent.error().wrap("dns forward to " + upstream.to_string());
  }
  return ForwardedQuery{std::move(query), std::move(*fd),
                        std::chrono::steady_clock::now() + options.upstream_timeout};
}

// Milliseconds until the first deadline (-1: none).
int poll_timeout(const std::vector<ForwardedQuery>& waiting) {
  if (waiting.empty()) return -1;
  auto first = waiting.front().deadline;
  for (const ForwardedQuery& w : waiting) first = std::min(first, w.deadline);
  const auto left =
      std::chrono::ceil<std::chrono::milliseconds>(first - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

}  // namespace

// Queries are answered (or, in forward mode, relayed) as they come; up to kMaxInFlight
// forwarded ones wait for their upstream replies at once, so one lost reply delays only its
// own query.
void DnsStub::run() {
  std::vector<ForwardedQuery> waiting;
  std::vector<pollfd> fds;
  for (;;) {
    const short accepting = waiting.size() < kMaxInFlight ? POLLIN : 0;
    fds.assign({{wake_.get(), POLLIN, 0}, {socket_.get(), accepting, 0}});
    for (const ForwardedQuery& w : waiting) fds.push_back({w.upstream.get(), POLLIN, 0});
    const auto ready = sys::poll_fds(fds, poll_timeout(waiting));
    if (!ready.ok()) {
      log::error("dns stub stopped", {{"error", ready.error().message}});
      return;
    }
    if (*ready > 0 && (fds[0].revents & POLLIN) != 0) return;
    relay_replies(fds, waiting);
    if (*ready > 0 && (fds[1].revents & POLLIN) != 0) take_query(waiting);
  }
}

void DnsStub::relay_replies(const std::vector<pollfd>& fds, std::vector<ForwardedQuery>& waiting) {
  const auto now = std::chrono::steady_clock::now();
  std::vector<ForwardedQuery> still;
  for (std::size_t i = 0; i < waiting.size(); ++i) {
    ForwardedQuery& w = waiting[i];
    if ((fds[i + 2].revents & (POLLIN | POLLERR)) != 0) {
      std::vector<std::uint8_t> reply(kMaxUdpMessage);
      const auto n = sys::receive_bytes(w.upstream.get(), reply, MSG_DONTWAIT);
      if (n.ok() && n->value_or(0) > 0) {
        reply.resize(**n);
        sys::send_reply(socket_.get(), w.query, reply);
      } else {  // e.g. ECONNREFUSED: the resolver's port is closed; the client will retry
        log::debug("dns forward: no reply",
                   {{"error", n.ok() ? std::string("empty") : n.error().message}});
      }
      continue;
    }
    if (now >= w.deadline) {
      log::debug("dns forward: no reply", {{"from", options_.upstream->to_string()}});
      continue;
    }
    still.push_back(std::move(w));
  }
  waiting = std::move(still);
}

void DnsStub::take_query(std::vector<ForwardedQuery>& waiting) {
  std::optional<sys::Datagram> query = sys::receive_datagram(socket_.get(), kMaxUdpMessage);
  if (!query) return;
  if (options_.upstream) {
    auto sent = forward(std::move(*query), options_);
    if (sent) {
      waiting.push_back(std::move(sent).value());
    } else {
      log::debug("dns stub: no answer", {{"error", sent.error().message}});
    }
    return;
  }
  const auto response = answer(query->bytes);
  if (!response) {
    log::debug("dns stub: no answer", {{"error", response.error().message}});
    return;
  }
  sys::send_reply(socket_.get(), *query, *response);
}

Result<sys::Endpoint> nameserver_from_resolv_conf(std::string_view text) {
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string keyword;
    std::string address;
    if (!(words >> keyword >> address) || keyword != "nameserver") continue;
    if (const auto percent = address.find('%'); percent != std::string::npos) {
      address.resize(percent);  // fe80::1%eth0: the scope is not needed for a pod resolver
    }
    auto endpoint = sys::parse_endpoint(address, kDnsPort);
    if (endpoint) return endpoint;
  }
  return make_error("resolv.conf: no usable nameserver line");
}

Result<sys::Endpoint> system_nameserver(const char* path) {
  std::ifstream file(path);
  if (!file) return make_error(std::string("open ") + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << file.rdbuf();
  auto endpoint = nameserver_from_resolv_conf(text.str());
  if (!endpoint) return endpoint.error().wrap(path);
  return endpoint;
}

}  // namespace jk::launcher::net
