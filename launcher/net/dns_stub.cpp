#include "launcher/net/dns_stub.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "common/log.h"
#include "launcher/net/dns_answer.h"

namespace jk::launcher::net {

// One query: its bytes, who sent it, and where it was sent to (when the kernel said).
struct DnsDatagram {
  std::vector<std::uint8_t> bytes;
  sockaddr_storage peer{};
  socklen_t peer_length = sizeof(sockaddr_storage);
  std::optional<in6_pktinfo> to6;
  std::optional<in_pktinfo> to4;
};

// A forwarded query waiting for its reply, on a socket connected to the upstream (only the
// upstream's datagrams arrive there).
struct ForwardedQuery {
  DnsDatagram query;
  sys::UniqueFd upstream;
  std::chrono::steady_clock::time_point deadline;
};

namespace {

constexpr std::size_t kMaxUdpMessage = 65535;
constexpr std::uint16_t kDnsPort = 53;

Error errno_error(std::string_view what) {
  return make_error(std::string(what) + ": " + std::strerror(errno));
}

// Replies must leave from the address the query was sent to: the firewall redirected the query
// to 127.0.0.1 or ::1, and only a reply from there matches the connection tracking entry that
// turns its source back into the resolver the agent asked. A socket bound to [::] would
// otherwise pick the source by route (for IPv4 the resolver's own address, as every address is
// local in the jail), which the firewall drops. So the destination of each query is read
// (IP_PKTINFO / IPV6_PKTINFO) and used as the source of its reply.
void ask_for_destinations(int fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) return;  // NOLINT
  const int on = 1;
  if (local.ss_family == AF_INET6) {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
  } else {
    ::setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
  }
}

using Control = std::array<char, CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(in_pktinfo))>;

std::optional<DnsDatagram> receive(int fd) {
  DnsDatagram d;
  d.bytes.resize(kMaxUdpMessage);
  iovec data{d.bytes.data(), d.bytes.size()};
  alignas(cmsghdr) Control control{};
  msghdr message{};
  message.msg_name = &d.peer;
  message.msg_namelen = d.peer_length;
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  const ssize_t received = ::recvmsg(fd, &message, MSG_DONTWAIT);
  if (received <= 0) return std::nullopt;
  d.bytes.resize(static_cast<std::size_t>(received));
  d.peer_length = message.msg_namelen;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      std::memcpy(&d.to6.emplace(), CMSG_DATA(c), sizeof(in6_pktinfo));
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      std::memcpy(&d.to4.emplace(), CMSG_DATA(c), sizeof(in_pktinfo));
    }
  }
  return d;
}

// Sends `reply` to the query's sender, from the address the query was sent to.
void send_reply(int fd, const DnsDatagram& query, std::span<const std::uint8_t> reply) {
  iovec data{const_cast<std::uint8_t*>(reply.data()), reply.size()};  // NOLINT: sendmsg reads
  alignas(cmsghdr) Control control{};
  msghdr message{};
  message.msg_name = const_cast<sockaddr_storage*>(&query.peer);  // NOLINT: sendmsg reads
  message.msg_namelen = query.peer_length;
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  if (query.to6 || query.to4) {
    message.msg_control = control.data();
    message.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&message);
    if (query.to6) {
      in6_pktinfo from{};
      from.ipi6_addr = query.to6->ipi6_addr;  // the interface is left to the route
      c->cmsg_level = IPPROTO_IPV6;
      c->cmsg_type = IPV6_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof(from));
      std::memcpy(CMSG_DATA(c), &from, sizeof(from));
    } else {
      in_pktinfo from{};
      from.ipi_spec_dst = query.to4->ipi_addr;
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof(from));
      std::memcpy(CMSG_DATA(c), &from, sizeof(from));
    }
    message.msg_controllen = c->cmsg_len;
  }
  ::sendmsg(fd, &message, MSG_DONTWAIT);
}

}  // namespace

Result<std::unique_ptr<DnsStub>> DnsStub::start(sys::UniqueFd socket, DnsStubOptions options) {
  if (!socket) return make_error("dns stub: no socket");
  sys::UniqueFd wake(::eventfd(0, EFD_CLOEXEC));
  if (!wake) return errno_error("dns stub: eventfd");
  ask_for_destinations(socket.get());
  std::unique_ptr<DnsStub> stub(new DnsStub(std::move(socket), std::move(wake), options));
  stub->thread_ = std::thread([raw = stub.get()] { raw->run(); });
  return stub;
}

DnsStub::DnsStub(sys::UniqueFd socket, sys::UniqueFd wake, DnsStubOptions options)
    : socket_(std::move(socket)), wake_(std::move(wake)), options_(options) {}

DnsStub::~DnsStub() { stop(); }

void DnsStub::stop() {
  if (!thread_.joinable()) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t ignored = ::write(wake_.get(), &one, sizeof(one));
  thread_.join();
}

namespace {

Result<ForwardedQuery> forward(DnsDatagram query, const DnsStubOptions& options) {
  const sys::Endpoint& upstream = *options.upstream;
  sys::UniqueFd fd(::socket(upstream.family(), SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return errno_error("dns forward: socket");
  if (::connect(fd.get(), upstream.sockaddr_ptr(), upstream.length) != 0) {
    return errno_error("dns forward: connect " + upstream.to_string());
  }
  if (::send(fd.get(), query.bytes.data(), query.bytes.size(), 0) < 0) {
    return errno_error("dns forward: send to " + upstream.to_string());
  }
  return ForwardedQuery{std::move(query), std::move(fd),
                  std::chrono::steady_clock::now() + options.upstream_timeout};
}

// Milliseconds until the first deadline (-1: none).
int poll_timeout(const std::vector<ForwardedQuery>& waiting) {
  if (waiting.empty()) return -1;
  auto first = waiting.front().deadline;
  for (const ForwardedQuery& w : waiting) first = std::min(first, w.deadline);
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(
      first - std::chrono::steady_clock::now());
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
    const int ready = ::poll(fds.data(), fds.size(), poll_timeout(waiting));
    if (ready < 0 && errno != EINTR) {
      log::error("dns stub stopped", {{"error", std::string("poll: ") + std::strerror(errno)}});
      return;
    }
    if (ready > 0 && (fds[0].revents & POLLIN) != 0) return;
    relay_replies(fds, waiting);
    if (ready > 0 && (fds[1].revents & POLLIN) != 0) take_query(waiting);
  }
}

void DnsStub::relay_replies(const std::vector<pollfd>& fds, std::vector<ForwardedQuery>& waiting) {
  const auto now = std::chrono::steady_clock::now();
  std::vector<ForwardedQuery> still;
  for (std::size_t i = 0; i < waiting.size(); ++i) {
    ForwardedQuery& w = waiting[i];
    if ((fds[i + 2].revents & (POLLIN | POLLERR)) != 0) {
      std::vector<std::uint8_t> reply(kMaxUdpMessage);
      const ssize_t n = ::recv(w.upstream.get(), reply.data(), reply.size(), MSG_DONTWAIT);
      if (n > 0) {
        reply.resize(static_cast<std::size_t>(n));
        send_reply(socket_.get(), w.query, reply);
      } else {  // e.g. ECONNREFUSED: the resolver's port is closed; the client will retry
        log::debug("dns forward: no reply", {{"error", std::strerror(errno)}});
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
  std::optional<DnsDatagram> query = receive(socket_.get());
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
  send_reply(socket_.get(), *query, *response);
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
