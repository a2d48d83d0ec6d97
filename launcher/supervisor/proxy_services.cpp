#include "launcher/supervisor/proxy_services.h"

#include <sys/socket.h>

#include <mutex>
#include <thread>

#include "common/log.h"
#include "launcher/jail/seccompjail/broker.h"
#include "launcher/jail/seccompjail/loopback.h"
#include "launcher/net/dns_stub.h"
#include "launcher/proxy/proxy.h"
#include "launcher/requestlog/request_log.h"
#include "launcher/sys/endpoint.h"
#include "launcher/sys/socket.h"
#include "launcher/tls/authority.h"
#include "launcher/tls/trust_files.h"
#include "launcher/tls/upstream.h"

namespace jk::launcher::supervisor {
namespace {

constexpr std::uint16_t kDnsPort = 53;

// seccompjail's DNS stub listens here (the broker redirects every udp/53 to it).
Result<std::pair<sys::UniqueFd, sys::Endpoint>> bind_udp_loopback() {
  auto fd = sys::loopback_socket(SOCK_DGRAM, 0);
  if (!fd.ok()) return fd.error().wrap("DNS stub");
  auto where = sys::local_endpoint(fd->get());
  if (!where.ok()) return where.error().wrap("DNS stub");
  return std::make_pair(std::move(*fd), *where);
}

// --use-real-dns: the first nameserver of the resolv.conf read before the agent started.
Result<sys::Endpoint> real_nameserver(const proxy::ResolverConfig& resolver) {
  if (resolver.nameservers.empty()) {
    return make_error("--use-real-dns: no nameserver in /etc/resolv.conf");
  }
  return sys::parse_endpoint(launchspec::to_string(resolver.nameservers.front()), kDnsPort);
}

class RealProxyServices : public ProxyServices {
 public:
  RealProxyServices(ServicesOptions options, std::shared_ptr<tls::Authority> authority,
                    tls::TrustFiles trust, proxy::ResolverConfig resolver)
      : options_(std::move(options)),
        authority_(std::move(authority)),
        trust_(std::move(trust)),
        resolver_(std::move(resolver)) {}
  ~RealProxyServices() override { RealProxyServices::stop(); }

  [[nodiscard]] std::vector<std::string> trust_environment() const override {
    std::vector<std::string> env;
    for (const auto& [name, value] : tls::trust_environment(trust_)) {
      env.push_back(name + "=" + value);
    }
    return env;
  }

  Status start(jail::JailChild& child, sys::UniqueFd listener) override {
    JK_TRY_STATUS(create_proxy());
    if (listener) JK_TRY_STATUS(proxy_->add_listener(std::move(listener)));
    JK_TRY_STATUS(proxy_->start());
    if (child.dns_socket) {
      JK_TRY(dns_, start_dns(std::move(child.dns_socket)));
    }
    if (child.seccomp_listener) JK_TRY_STATUS(start_broker(std::move(child.seccomp_listener)));
    return {};
  }

  void stop() override {
    if (broker_) broker_->stop();
    if (broker_thread_.joinable()) broker_thread_.join();
    if (dns_) dns_->stop();
    if (proxy_) proxy_->stop();
  }

 private:
  Status create_proxy() {
    requestlog::RequestLogOptions audit_options{options_.launch->log_dir, options_.session_id,
                                                options_.launch->log_level};
    JK_TRY(auto audit_log, requestlog::RequestLog::open(audit_options));
    JK_TRY(auto upstream, tls::UpstreamTls::create());
    proxy::ProxyOptions proxy_options;
    proxy_options.rules = options_.launch->rules();
    proxy_options.authority = authority_;
    proxy_options.upstream = std::move(upstream);
    proxy_options.audit = std::move(audit_log);
    proxy_options.dns_over_tcp = true;
    if (options_.launch->use_real_dns) {
      JK_TRY(proxy_options.dns_upstream, real_nameserver(resolver_));
    }
    proxy_options.resolver = resolver_;
    proxy_options.allow_internal = options_.launch->allow_internal;
    proxy_options.jail = options_.jail_name;
    proxy_options.session_id = options_.session_id;
    JK_TRY(proxy_, proxy::Proxy::create(std::move(proxy_options)));
    return {};
  }

  Result<std::unique_ptr<net::DnsStub>> start_dns(sys::UniqueFd socket) const {
    net::DnsStubOptions dns_options;
    if (options_.launch->use_real_dns) {
      JK_TRY(dns_options.upstream, real_nameserver(resolver_));
    }
    return net::DnsStub::start(std::move(socket), dns_options);
  }

  Status start_broker(sys::UniqueFd seccomp_listener) {
    JK_TRY(auto dns_socket, bind_udp_loopback());
    JK_TRY(dns_, start_dns(std::move(dns_socket.first)));
    JK_TRY(auto pairer, jail::LoopbackPairer::create());
    pairer_ = std::make_unique<jail::LoopbackPairer>(std::move(pairer));
    jail::BrokerOptions broker_options;
    broker_options.dns_stub = dns_socket.second;
    broker_options.connector = [this](const sys::Endpoint& original,
                                      int domain) -> Result<sys::UniqueFd> {
      const std::lock_guard lock(pair_mutex_);
      JK_TRY(jail::LoopbackPair pair, pairer_->pair(domain));
      proxy_->serve(std::move(pair.proxy_end), original);
      return std::move(pair.agent_end);
    };
    broker_ = std::make_unique<jail::Broker>(std::move(seccomp_listener), broker_options);
    broker_thread_ = std::thread([broker = broker_.get()] {
      auto ran = broker->run();
      if (!ran.ok()) log::error("seccompjail broker failed", {{"error", ran.error().message}});
    });
    return {};
  }

  ServicesOptions options_;
  std::shared_ptr<tls::Authority> authority_;
  tls::TrustFiles trust_;
  proxy::ResolverConfig resolver_;  // read before the agent started
  std::unique_ptr<proxy::Proxy> proxy_;
  std::unique_ptr<net::DnsStub> dns_;
  std::unique_ptr<jail::LoopbackPairer> pairer_;
  std::mutex pair_mutex_;
  std::unique_ptr<jail::Broker> broker_;
  std::thread broker_thread_;
};

}  // namespace

Result<std::unique_ptr<ProxyServices>> ProxyServices::prepare(const ServicesOptions& options) {
  auto authority = tls::Authority::create();
  if (!authority.ok()) return authority.error().wrap("interception CA");
  auto trust = tls::write_trust_files(options.trust_dir, (*authority)->ca_certificate_pem());
  if (!trust.ok()) return trust.error().wrap("trust files");
  if (!trust->has_system_roots) {
    log::warn("no system CA bundle found: the agent trusts only the interception CA");
  }
  // Before the agent exists: a root agent may rewrite /etc/hosts or /etc/resolv.conf later, and
  // the proxy must not follow (issue 13).
  auto resolver = proxy::read_resolver_config();
  if (!resolver.ok()) return resolver.error().wrap("name resolution");
  return std::unique_ptr<ProxyServices>(new RealProxyServices(
      options, std::move(*authority), std::move(*trust), std::move(*resolver)));
}

Result<std::pair<sys::UniqueFd, std::uint16_t>> ProxyServices::listen_loopback(std::uint16_t port) {
  JK_TRY(const sys::Endpoint where, sys::parse_endpoint("127.0.0.1", port));
  JK_TRY(sys::UniqueFd fd, proxy::listen_tcp(where));
  JK_TRY(const std::uint16_t bound, proxy::local_port(fd.get()));
  return std::make_pair(std::move(fd), bound);
}

}  // namespace jk::launcher::supervisor
