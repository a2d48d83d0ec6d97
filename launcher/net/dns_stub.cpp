#include "launcher/net/dns_stub.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/log.h"
#include "launcher/net/dns_answer.h"

namespace jk::launcher::net {
namespace {

constexpr std::size_t kMaxUdpMessage = 65535;
constexpr std::uint16_t kDnsPort = 53;

Error errno_error(std::string_view what) {
  return make_error(std::string(what) + ": " + std::strerror(errno));
}

// Waits until `fd` is readable, `wake` fires (false) or the timeout passes (false).
bool wait_readable(int fd, int wake, int timeout_ms) {
  std::array<pollfd, 2> fds{{{fd, POLLIN, 0}, {wake, POLLIN, 0}}};
  const nfds_t count = wake >= 0 ? 2 : 1;
  while (true) {
    const int ready = ::poll(fds.data(), count, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    return (fds[1].revents & POLLIN) == 0 && (fds[0].revents & POLLIN) != 0;
  }
}

}  // namespace

Result<std::unique_ptr<DnsStub>> DnsStub::start(sys::UniqueFd socket, DnsStubOptions options) {
  if (!socket) return make_error("dns stub: no socket");
  sys::UniqueFd wake(::eventfd(0, EFD_CLOEXEC));
  if (!wake) return errno_error("dns stub: eventfd");
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

void DnsStub::run() {
  while (wait_readable(socket_.get(), wake_.get(), -1)) handle_one();
}

void DnsStub::handle_one() {
  std::vector<std::uint8_t> query(kMaxUdpMessage);
  sockaddr_storage client{};
  socklen_t client_length = sizeof(client);
  const ssize_t received =
      ::recvfrom(socket_.get(), query.data(), query.size(), MSG_DONTWAIT,
                 reinterpret_cast<sockaddr*>(&client), &client_length);  // NOLINT
  if (received <= 0) return;
  query.resize(static_cast<std::size_t>(received));
  auto response = options_.upstream ? forward(query) : answer(query);
  if (!response) {
    log::debug("dns stub: no answer", {{"error", response.error().message}});
    return;
  }
  ::sendto(socket_.get(), response->data(), response->size(), MSG_DONTWAIT,
           reinterpret_cast<const sockaddr*>(&client), client_length);  // NOLINT
}

Result<std::vector<std::uint8_t>> DnsStub::forward(std::span<const std::uint8_t> query) const {
  const sys::Endpoint& upstream = *options_.upstream;
  sys::UniqueFd fd(::socket(upstream.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error("dns forward: socket");
  if (::connect(fd.get(), upstream.sockaddr_ptr(), upstream.length) != 0) {
    return errno_error("dns forward: connect " + upstream.to_string());
  }
  if (::send(fd.get(), query.data(), query.size(), 0) < 0) return errno_error("dns forward: send");
  const int timeout_ms = static_cast<int>(options_.upstream_timeout.count());
  if (!wait_readable(fd.get(), wake_.get(), timeout_ms)) {
    return make_error("dns forward: no reply from " + upstream.to_string());
  }
  std::vector<std::uint8_t> reply(kMaxUdpMessage);
  const ssize_t received = ::recv(fd.get(), reply.data(), reply.size(), 0);
  if (received < 0) return errno_error("dns forward: receive");
  reply.resize(static_cast<std::size_t>(received));
  return reply;
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
