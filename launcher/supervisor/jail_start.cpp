#include "launcher/supervisor/jail_start.h"

#include "launcher/jail/landjail/landjail.h"
#include "launcher/jail/nsjail/nsjail.h"
#include "launcher/jail/seccompjail/seccompjail.h"
#include "launcher/supervisor/proxy_services.h"
#include "launcher/sys/lockdown.h"

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

Result<StartedJail> start_nsjail(const config::LaunchOptions& options,
                                 const jail::AgentCommand& cmd) {
  jail::NsjailOptions nsjail;
  nsjail.user_namespace = !options.no_user_namespace;
  StartedJail started;
  JK_TRY(started.child, jail::start_nsjail(nsjail, cmd));
  started.proxy_listener = std::move(started.child.tcp_listener);
  started.description = jail::use_user_namespace(nsjail) ? "nsjail" : "nsjail, no user namespace";
  return started;
}

Result<StartedJail> start_seccompjail(const jail::AgentCommand& cmd) {
  jail::SeccompjailOptions seccompjail;
  seccompjail.child_lockdown = []() -> Status {
    JK_TRY_STATUS(sys::lockdown(sys::LockdownOptions{}));
    return sys::unblock_all_signals();
  };
  StartedJail started;
  JK_TRY(started.child, jail::start_seccompjail(seccompjail, cmd));
  started.description = "seccompjail";
  return started;
}

}  // namespace

std::uint16_t landjail_port(const config::LaunchOptions& options) {
  return options.proxy_port_explicit ? options.proxy_port : 0;
}

Result<StartedJail> start_jail(JailKind kind, const config::LaunchOptions& options,
                               const jail::AgentCommand& cmd) {
  switch (kind) {
    case JailKind::kLandjail:
      return start_landjail(options, cmd);
    case JailKind::kNsjail:
      return start_nsjail(options, cmd);
    case JailKind::kSeccompjail:
      return start_seccompjail(cmd);
  }
  return make_error("unknown jail");
}

}  // namespace jk::launcher::supervisor
