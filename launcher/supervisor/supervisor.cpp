#include "launcher/supervisor/supervisor.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

#include "common/log.h"
#include "launcher/supervisor/agent_environment.h"
#include "launcher/supervisor/instance_dir.h"
#include "launcher/supervisor/jail_probe.h"
#include "launcher/supervisor/jail_selection.h"
#include "launcher/supervisor/jail_start.h"
#include "launcher/supervisor/proxy_services.h"
#include "launcher/supervisor/signal_forwarder.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/process.h"
#include "launcher/sys/signals.h"

namespace jk::launcher::supervisor {
namespace {

constexpr std::size_t kSessionIdBytes = 8;

std::string new_session_id() {
  std::array<unsigned char, kSessionIdBytes> bytes{};
  if (!sys::random_bytes(bytes)) {
    return std::to_string(getpid());
  }
  std::string id;
  std::array<char, 3> hex{};
  for (unsigned char b : bytes) {
    std::snprintf(hex.data(), hex.size(), "%02x", b);
    id += hex.data();
  }
  return id;
}

Error fail(const std::string& message) {
  log::debug("launcher failure", {{"reason", message}});
  return make_error(message);
}

// After the agent runs, a failure to serve it must not leave it running unjailed from the
// network's point of view (it would only see refused connections) nor orphaned.
Error abandon_agent(pid_t agent, const std::string& message) {
  sys::kill_and_reap(agent);
  return fail(message);
}

// The jails that failed to start, with why: the next selection skips them.
using FailedStarts = std::vector<std::pair<JailKind, Error>>;

// The first candidate whose cheap checks pass and that has not failed to start. The full proof
// is the start itself: a jail that fails to start (nothing of the agent runs then) makes
// run_agent select again, so the agent's jail is never built twice.
Result<JailSelection> select_jail(const config::LaunchOptions& options,
                                  const FailedStarts& failed) {
  const JailProber probe = [&options, &failed](JailKind kind) -> std::optional<Status> {
    for (const auto& [k, error] : failed) {
      if (k == kind) return Status(error);
    }
    return precheck_jail(kind, options);
  };
  JK_TRY(JailSelection selection, choose_jail(options.jail_type, options.fallback, probe));
  for (const auto& note : selection.notes) log::info("jail unavailable", {{"detail", note}});
  log::info("jail selected", {{"jail", jail_kind_name(selection.kind)}});
  return selection;
}

Result<int> supervise(SignalForwarder& forwarder, ProxyServices& services, StartedJail started) {
  const pid_t agent = started.child.pid;
  auto serving = services.start(started.child, std::move(started.proxy_listener));
  if (!serving.ok()) return abandon_agent(agent, "proxy: " + serving.error().message);
  log::info("agent started", {{"pid", agent}, {"jail", started.description}});
  auto status = forwarder.wait(agent);
  services.stop();
  if (!status.ok()) return abandon_agent(agent, status.error().message);
  const int code = sys::exit_code_from_wait_status(*status);
  log::info("agent exited", {{"pid", agent}, {"exit_code", code}});
  return code;
}

}  // namespace

Result<int> run_agent(const config::LaunchOptions& options, jail::AgentCommand cmd,
                      const RunContext& context) {
  auto dir = create_in_first(context.tmpdirs);
  if (!dir.ok()) return fail(dir.error().message);
  const std::string parent = dir->path().substr(0, dir->path().rfind('/'));
  const int removed = remove_stale_instance_dirs(parent);
  if (removed > 0) log::info("removed stale instance directories", {{"count", removed}});
  const std::string session = new_session_id();
  FailedStarts failed;
  for (;;) {
    auto selection = select_jail(options, failed);
    if (!selection.ok()) return fail(selection.error().message);
    const std::string trust_dir =
        dir->path() + "/trust" + (failed.empty() ? "" : "-" + std::to_string(failed.size()));
    ServicesOptions services_options{&options, trust_dir,
                                     std::string(jail_kind_name(selection->kind)), session};
    auto services = ProxyServices::prepare(services_options);
    if (!services.ok()) return fail(services.error().message);
    jail::AgentCommand agent = cmd;
    agent.env = with_variables(cmd.env, (*services)->trust_environment());
    // Blocked before the fork, so no signal is lost while the agent starts (lockdown() unblocks
    // them in the child) and every proxy thread inherits the mask.
    SignalForwarder forwarder;
    auto started = start_jail(selection->kind, options, agent);
    if (!started.ok()) {
      log::warn("jail failed to start",
                {{"jail", jail_kind_name(selection->kind)}, {"error", started.error().message}});
      failed.emplace_back(selection->kind, started.error());
      continue;
    }
    // From now on the agent runs: it must not ptrace, core-dump or read the memory of the
    // process holding the CA key. (Not earlier: seccompjail's child must still be ptrace-able
    // by the launcher through pidfd_getfd while it starts, and a non-dumpable parent's fork is
    // too.)
    if (auto hidden = sys::set_dumpable(false); !hidden.ok()) {
      return abandon_agent(started->child.pid,
                           "making the launcher non-dumpable: " + hidden.error().message);
    }
    // Nor does the launcher need a capability any more (the namespaces, rules and listeners
    // are made; signalling and reading the agent need none): the proxy parses hostile bytes,
    // so it runs with no more privilege than the agent. Before services start their threads.
    if (auto shed = sys::shed_privileges(); !shed.ok()) {
      return abandon_agent(started->child.pid,
                           "dropping the launcher's capabilities: " + shed.error().message);
    }
    return supervise(forwarder, **services, std::move(*started));
  }
}

}  // namespace jk::launcher::supervisor
