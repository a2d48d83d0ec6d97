#include "launcher/supervisor/jail_probe.h"

#include <signal.h>

#include "launcher/jail/landjail/landjail.h"
#include "launcher/jail/nsjail/nsjail.h"
#include "launcher/jail/seccompjail/seccompjail.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/process.h"

namespace jk::launcher::supervisor {
namespace {

// Any non-zero port: the dry run's agent connects nowhere.
constexpr std::uint16_t kDryRunProxyPort = 9;

Result<jail::JailChild> start(JailKind kind, const config::LaunchOptions& options,
                              const jail::AgentCommand& agent) {
  switch (kind) {
    case JailKind::kNsjail: {
      jail::NsjailOptions nsjail;
      nsjail.user_namespace = !options.no_user_namespace;
      return jail::start_nsjail(nsjail, agent);
    }
    case JailKind::kLandjail:
      return jail::start_landjail(jail::LandjailOptions{kDryRunProxyPort}, agent);
    case JailKind::kSeccompjail: {
      jail::SeccompjailOptions seccompjail;
      seccompjail.child_lockdown = []() -> Status {
        JK_TRY_STATUS(sys::lockdown(sys::LockdownOptions{}));
        return sys::unblock_all_signals();
      };
      return jail::start_seccompjail(seccompjail, agent);
    }
  }
  return make_error("unknown jail");
}

Status dry_run(JailKind kind, const config::LaunchOptions& options,
               const jail::AgentCommand& agent) {
  auto child = start(kind, options, agent);
  if (!child.ok()) return child.error();
  child->tcp_listener.reset();
  child->dns_socket.reset();
  child->seccomp_listener.reset();  // the no-op agent makes no brokered call
  JK_TRY(const int status, sys::wait_for_exit(child->pid));
  const int code = sys::exit_code_from_wait_status(status);
  if (code == 0) return {};
  if (code == kDryRunNotJailed) {
    return make_error("the dry run's agent still held a capability or lacked no_new_privs");
  }
  return make_error("the dry run's agent exited " + std::to_string(code));
}

}  // namespace

std::optional<Status> precheck_jail(JailKind kind, const config::LaunchOptions& options) {
  switch (kind) {
    case JailKind::kNsjail: {
      jail::NsjailOptions nsjail;
      nsjail.user_namespace = !options.no_user_namespace;
      return jail::nsjail_available(nsjail);
    }
    case JailKind::kLandjail:
      return jail::landjail_available();
    case JailKind::kSeccompjail:
      return jail::seccompjail_available();
  }
  return std::nullopt;
}

jail::AgentCommand dry_run_agent() {
  return jail::AgentCommand{{"/proc/self/exe", std::string(kDryRunCommand)},
                            {"PATH=/usr/bin:/bin"}};
}

std::optional<Status> probe_jail(JailKind kind, const config::LaunchOptions& options,
                                 const jail::AgentCommand& agent) {
  auto cheap = precheck_jail(kind, options);
  if (!cheap || !cheap->ok()) return cheap;
  return dry_run(kind, options, agent);
}

JailAvailability probe_jails(const config::LaunchOptions& options,
                             const jail::AgentCommand& agent) {
  return JailAvailability{probe_jail(JailKind::kNsjail, options, agent),
                          probe_jail(JailKind::kLandjail, options, agent),
                          probe_jail(JailKind::kSeccompjail, options, agent)};
}

}  // namespace jk::launcher::supervisor
