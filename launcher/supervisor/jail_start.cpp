#include "launcher/supervisor/jail_start.h"

#include "launcher/jail/landjail.h"
#include "launcher/supervisor/proxy_services.h"

namespace jk::launcher::supervisor {
namespace {

Result<StartedJail> start_landjail(const config::LaunchOptions& options,
                                   const jail::AgentCommand& cmd) {
  JK_TRY(auto listener, ProxyServices::listen_loopback(landjail_port(options)));
  StartedJail started;
  started.proxy_listener = std::move(listener.first);
  JK_TRY(started.child, jail::start_landjail(jail::LandjailOptions{listener.second}, cmd));
  started.description = "landjail, proxy 127.0.0.1:" + std::to_string(listener.second);
  return started;
}

}  // namespace

std::uint16_t landjail_port(const config::LaunchOptions& options) {
  return options.proxy_port == config::kDefaultProxyPort ? 0 : options.proxy_port;
}

Result<StartedJail> start_jail(JailKind kind, const config::LaunchOptions& options,
                               const jail::AgentCommand& cmd) {
  switch (kind) {
    case JailKind::kLandjail: return start_landjail(options, cmd);
    case JailKind::kNsjail:
    case JailKind::kSeccompjail: break;
  }
  return make_error(std::string(jail_kind_name(kind)) + " is not built into this launcher");
}

}  // namespace jk::launcher::supervisor
