// jk_seccompjail_harness: runs a command under seccompjail with a stand-in for the proxy, for the
// integration tests and the benchmark (until the supervisor wires the real proxy in).
//   jk_seccompjail_harness [--proxy PORT] [--dns PORT] [--real-dns] [--deny-unix] -- CMD...
//   jk_seccompjail_harness --available
// The connector connects to 127.0.0.1:PORT (from an AF_INET6 agent socket: [::ffff:127.0.0.1])
// and first writes "ORIG <original destination>\n", so the stand-in proxy can record it.
// DNS: the real stub (launcher/net/dns_stub.h, placeholder answers; forwarding to resolv.conf's
// nameserver with --real-dns) on 127.0.0.1:0, or a stand-in at 127.0.0.1:PORT with --dns PORT.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "launcher/jail/seccompjail/broker.h"
#include "launcher/jail/seccompjail/handover.h"
#include "launcher/jail/seccompjail/seccompjail.h"
#include "launcher/net/dns_stub.h"
#include "launcher/sys/capabilities.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/process.h"

namespace {

using jk::Result;
using jk::launcher::sys::Endpoint;
using jk::launcher::sys::UniqueFd;
namespace jail = jk::launcher::jail;

constexpr int kUsage = 2;

struct Args {
  std::uint16_t proxy_port = 0;
  std::uint16_t dns_port = 0;
  bool real_dns = false;
  bool deny_unix = false;
  bool available = false;
  std::vector<std::string> command;
};

std::uint16_t port_arg(const char* text) { return static_cast<std::uint16_t>(std::atoi(text)); }

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {
      a.command.assign(argv + i + 1, argv + argc);
      return !a.command.empty();
    }
    if (arg == "--proxy" && i + 1 < argc)
      a.proxy_port = port_arg(argv[++i]);
    else if (arg == "--dns" && i + 1 < argc)
      a.dns_port = port_arg(argv[++i]);
    else if (arg == "--real-dns")
      a.real_dns = true;
    else if (arg == "--deny-unix")
      a.deny_unix = true;
    else if (arg == "--available")
      a.available = true;
    else
      return false;
  }
  return a.available;
}

Result<UniqueFd> connect_to_proxy(std::uint16_t port, const Endpoint& original, int domain) {
  auto loopback =
      jail::endpoint_for_domain(*jk::launcher::sys::parse_endpoint("127.0.0.1", port), domain);
  if (!loopback.ok()) return loopback.error();
  UniqueFd fd(::socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd || ::connect(fd.get(), loopback->sockaddr_ptr(), loopback->length) != 0) {
    return jk::make_error(std::string("connect to proxy: ") + std::strerror(errno));
  }
  const std::string header = "ORIG " + original.to_string() + "\n";
  if (::write(fd.get(), header.data(), header.size()) != static_cast<ssize_t>(header.size())) {
    return jk::make_error("write to proxy failed");
  }
  return fd;
}

// The real DNS stub on 127.0.0.1:<random port>.
Result<std::pair<std::unique_ptr<jk::launcher::net::DnsStub>, Endpoint>> start_stub(bool forward) {
  UniqueFd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  Endpoint where = *jk::launcher::sys::parse_endpoint("127.0.0.1", 0);
  if (!udp || ::bind(udp.get(), where.sockaddr_ptr(), where.length) != 0 ||
      ::getsockname(udp.get(), reinterpret_cast<sockaddr*>(&where.address),  // NOLINT
                    &where.length) != 0) {
    return jk::make_error(std::string("udp socket: ") + std::strerror(errno));
  }
  jk::launcher::net::DnsStubOptions options;
  if (forward) {
    auto upstream = jk::launcher::net::system_nameserver();
    if (!upstream.ok()) return upstream.error();
    options.upstream = *upstream;
  }
  auto stub = jk::launcher::net::DnsStub::start(std::move(udp), options);
  if (!stub.ok()) return stub.error();
  return std::make_pair(std::move(stub).value(), where);
}

// sys::lockdown() fails with EPERM on PR_CAPBSET_DROP when the process has no CAP_SETPCAP, even
// for capabilities already out of the bounding set (e.g. under `setpriv --bounding-set=-all`).
// Nothing is left to drop then, so only no_new_privs and the deny-list filter are applied.
bool holds_no_capability() {
  auto sets = jk::launcher::sys::read_own_capabilities();
  return sets.ok() && (sets->inheritable | sets->permitted | sets->effective | sets->bounding |
                       sets->ambient) == 0;
}

int run(const Args& a) {
  jail::SeccompjailOptions options;
  options.child_lockdown = [] { return jk::launcher::sys::lockdown({!holds_no_capability()}); };
  jail::AgentCommand command{a.command, {}};
  for (char** e = environ; *e != nullptr; ++e) command.env.emplace_back(*e);
  auto child = jail::start_seccompjail(options, command);
  if (!child.ok()) {
    std::fprintf(stderr, "harness: %s\n", child.error().message.c_str());
    return jail::kSeccompjailSetupFailed;
  }
  jail::BrokerOptions broker_options;
  broker_options.policy = {!a.deny_unix};
  const std::uint16_t proxy = a.proxy_port;
  broker_options.connector = [proxy](const Endpoint& original, int domain) {
    return connect_to_proxy(proxy, original, domain);
  };
  std::unique_ptr<jk::launcher::net::DnsStub> stub;
  if (a.dns_port != 0) {
    broker_options.dns_stub = *jk::launcher::sys::parse_endpoint("127.0.0.1", a.dns_port);
  } else {
    auto started = start_stub(a.real_dns);
    if (!started.ok()) {
      std::fprintf(stderr, "harness: dns stub: %s\n", started.error().message.c_str());
      return 1;
    }
    broker_options.dns_stub = started->second;
    stub = std::move(started->first);
  }
  jail::Broker broker(std::move(child->seccomp_listener), std::move(broker_options));
  std::thread serving([&broker] {
    auto served = broker.run();
    if (!served.ok()) std::fprintf(stderr, "harness: broker: %s\n", served.error().message.c_str());
  });
  auto status = jk::launcher::sys::wait_for_exit(child->pid);
  broker.stop();
  serving.join();
  return status.ok() ? jk::launcher::sys::exit_code_from_wait_status(*status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, a)) {
    std::fprintf(stderr,
                 "usage: %s [--proxy PORT] [--dns PORT] [--real-dns] [--deny-unix] -- CMD...\n"
                 "       %s --available\n",
                 argv[0], argv[0]);
    return kUsage;
  }
  if (a.available) {
    auto available = jail::seccompjail_available();
    std::printf("%s\n", available.ok() ? "available" : available.error().message.c_str());
    return available.ok() ? 0 : 1;
  }
  return run(a);
}
