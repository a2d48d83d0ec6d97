// Built instead of proxy_services.cpp while this launcher has no proxy/tls/audit modules: every
// run refuses (fail closed) rather than starting an agent nothing would serve.
#include "launcher/supervisor/proxy_services.h"

namespace jk::launcher::supervisor {

Result<std::unique_ptr<ProxyServices>> ProxyServices::prepare(const ServicesOptions&) {
  return make_error("the proxy is not built into this launcher");
}

Result<std::pair<sys::UniqueFd, std::uint16_t>> ProxyServices::listen_loopback(std::uint16_t) {
  return make_error("the proxy is not built into this launcher");
}

}  // namespace jk::launcher::supervisor
