// jk_proxy_harness: a Proxy on 127.0.0.1:0 for the integration tests (the supervisor that wires
// the real launcher is not ready). Prints "LISTENING <port>" and "CA <path>", serves until
// SIGTERM/SIGINT.
//   jk_proxy_harness --dir DIR [--allow RULE]... [--upstream-ca FILE] [--log-level info]
//                    [--max-connections N] [--header-timeout-ms N] [--idle-ms N]
//                    [--connect-timeout-ms N] [--response-timeout-ms N] [--transfer-idle-ms N]
//                    [--allow-internal PREFIX]... [--hosts FILE] [--resolv-conf FILE]
// --hosts / --resolv-conf are read once at start (default /etc/hosts, /etc/resolv.conf), as the
// launcher reads them before the agent starts.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "launcher/proxy/proxy.h"
#include "launcher/requestlog/request_log.h"
#include "launcher/tls/authority.h"
#include "launcher/tls/upstream.h"

namespace {

using jk::launcher::proxy::milliseconds;

struct HarnessArgs {
  std::string dir;
  std::vector<std::string> rules;
  std::string upstream_ca;
  std::string log_level = "info";
  std::string hosts = "/etc/hosts";
  std::string resolv_conf = "/etc/resolv.conf";
  jk::launcher::proxy::ProxyOptions options;
};

[[noreturn]] void die(const std::string& message) {
  std::cerr << "jk_proxy_harness: " << message << "\n";
  std::exit(2);
}

template <class T>
T must(jk::Result<T> result, const std::string& what) {
  if (!result.ok()) die(what + ": " + result.error().message);
  return std::move(result).value();
}

milliseconds ms(const char* text) { return milliseconds(std::stoll(text)); }

// --dns-over-tcp placeholder | HOST:PORT (forward to that resolver)
void dns_over_tcp(jk::launcher::proxy::ProxyOptions& options, const std::string& value) {
  options.dns_over_tcp = true;
  if (value == "placeholder") return;
  const auto colon = value.rfind(':');
  if (colon == std::string::npos) die("--dns-over-tcp: placeholder or HOST:PORT");
  auto resolver = jk::launcher::sys::parse_endpoint(
      value.substr(0, colon), static_cast<std::uint16_t>(std::stoi(value.substr(colon + 1))));
  if (!resolver.ok()) die("--dns-over-tcp: " + resolver.error().message);
  options.dns_upstream = *resolver;
}

HarnessArgs parse(int argc, char** argv) {
  HarnessArgs args;
  auto& t = args.options.timeouts;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--dir")
      args.dir = value;
    else if (flag == "--allow")
      args.rules.emplace_back(value);
    else if (flag == "--upstream-ca")
      args.upstream_ca = value;
    else if (flag == "--log-level")
      args.log_level = value;
    else if (flag == "--allow-internal")
      args.options.allow_internal.push_back(must(jk::launchspec::parse_prefix(value), flag));
    else if (flag == "--hosts")
      args.hosts = value;
    else if (flag == "--resolv-conf")
      args.resolv_conf = value;
    else if (flag == "--dns-over-tcp")
      dns_over_tcp(args.options, value);
    else if (flag == "--threads")
      args.options.threads = std::stoi(value);
    else if (flag == "--max-connections")
      args.options.max_connections = std::stoul(value);
    else if (flag == "--header-timeout-ms")
      t.header_read = ms(value);
    else if (flag == "--idle-ms")
      t.idle_client = ms(value);
    else if (flag == "--connect-timeout-ms")
      t.upstream_connect = ms(value);
    else if (flag == "--response-timeout-ms")
      t.upstream_response = ms(value);
    else if (flag == "--transfer-idle-ms")
      t.idle_transfer = ms(value);
    else
      die("unknown flag " + flag);
  }
  if (args.dir.empty()) die("--dir is required");
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  HarnessArgs args = parse(argc, argv);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // threads inherit; sigwait below
  signal(SIGPIPE, SIG_IGN);

  jk::log::Level level = jk::log::Level::kInfo;
  jk::log::parse_level(args.log_level, level);
  auto& options = args.options;
  options.rules = must(jk::launchspec::parse_rules(args.rules), "rules");
  options.resolver =
      must(jk::launcher::proxy::read_resolver_config(args.hosts, args.resolv_conf), "resolver");
  options.authority = must(jk::launcher::tls::Authority::create(), "authority");
  options.upstream =
      must(jk::launcher::tls::UpstreamTls::create({args.upstream_ca, false}), "upstream TLS");
  options.audit =
      must(jk::launcher::requestlog::RequestLog::open({args.dir, "test", level}), "audit");
  options.jail = "test";
  options.session_id = "test";
  const std::string ca_path = args.dir + "/ca.pem";
  std::ofstream(ca_path) << options.authority->ca_certificate_pem();

  auto endpoint = must(jk::launcher::sys::parse_endpoint("127.0.0.1", 0), "endpoint");
  auto listener = must(jk::launcher::proxy::listen_tcp(endpoint), "listen");
  const auto port = must(jk::launcher::proxy::local_port(listener.get()), "port");
  auto proxy = must(jk::launcher::proxy::Proxy::create(std::move(options)), "proxy");
  if (auto s = proxy->add_listener(std::move(listener)); !s.ok()) die(s.error().message);
  if (auto s = proxy->start(); !s.ok()) die(s.error().message);
  std::printf("LISTENING %u\nCA %s\n", static_cast<unsigned>(port), ca_path.c_str());
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  proxy->stop();
  return 0;
}
