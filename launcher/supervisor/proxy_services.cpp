#include "launcher/supervisor/proxy_services.h"

#include "common/log.h"
#include "launcher/audit/audit_log.h"
#include "launcher/proxy/proxy.h"
#include "launcher/sys/endpoint.h"
#include "launcher/tls/authority.h"
#include "launcher/tls/trust_files.h"
#include "launcher/tls/upstream.h"

namespace jk::launcher::supervisor {
namespace {

class RealProxyServices : public ProxyServices {
 public:
  RealProxyServices(ServicesOptions options, std::shared_ptr<tls::Authority> authority,
                    tls::TrustFiles trust)
      : options_(std::move(options)), authority_(std::move(authority)), trust_(std::move(trust)) {}
  ~RealProxyServices() override { RealProxyServices::stop(); }

  [[nodiscard]] std::vector<std::string> trust_environment() const override {
    std::vector<std::string> env;
    for (const auto& [name, value] : tls::trust_environment(trust_)) env.push_back(name + "=" + value);
    return env;
  }

  Status start(sys::UniqueFd listener) override {
    audit::AuditOptions audit_options{options_.launch->log_dir, options_.session_id,
                                      options_.launch->log_level};
    JK_TRY(auto audit_log, audit::AuditLog::open(audit_options));
    JK_TRY(auto upstream, tls::UpstreamTls::create());
    proxy::ProxyOptions proxy_options;
    proxy_options.rules = options_.launch->rules();
    proxy_options.authority = authority_;
    proxy_options.upstream = std::move(upstream);
    proxy_options.audit = std::move(audit_log);
    proxy_options.jail = options_.jail_name;
    proxy_options.session_id = options_.session_id;
    JK_TRY(proxy_, proxy::Proxy::create(std::move(proxy_options)));
    JK_TRY_STATUS(proxy_->add_listener(std::move(listener)));
    return proxy_->start();
  }

  void stop() override {
    if (proxy_) proxy_->stop();
  }

 private:
  ServicesOptions options_;
  std::shared_ptr<tls::Authority> authority_;
  tls::TrustFiles trust_;
  std::unique_ptr<proxy::Proxy> proxy_;
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
  return std::unique_ptr<ProxyServices>(
      new RealProxyServices(options, std::move(*authority), std::move(*trust)));
}

Result<std::pair<sys::UniqueFd, std::uint16_t>> ProxyServices::listen_loopback(std::uint16_t port) {
  JK_TRY(const sys::Endpoint where, sys::parse_endpoint("127.0.0.1", port));
  JK_TRY(sys::UniqueFd fd, proxy::listen_tcp(where));
  JK_TRY(const std::uint16_t bound, proxy::local_port(fd.get()));
  return std::make_pair(std::move(fd), bound);
}

}  // namespace jk::launcher::supervisor
