#pragma once
// Runs the built-in jails' availability probes (for choose_jail and doctor). A probe is a dry
// run: the jail is built for real, every step the agent's start takes (namespaces, id maps,
// mounts, network, Landlock, seccomp listener, lockdown, exec), with a no-op agent that checks
// it is jailed and exits. So "can run" means the launch would work, in this container, with
// these capabilities and this seccomp profile.
#include <optional>

#include "common/result.h"
#include "launcher/config/launch_options.h"
#include "launcher/jail/jail.h"
#include "launcher/supervisor/jail_selection.h"

namespace jk::launcher::supervisor {

// The hidden command the launcher answers as the dry run's agent (cli.cpp).
inline constexpr std::string_view kDryRunCommand = "__dry-run";
// Exit status of a dry-run agent that finds itself holding a capability or without
// no_new_privs.
inline constexpr int kDryRunNotJailed = 3;

// The dry run's agent: by default this launcher itself (/proc/self/exe __dry-run).
jail::AgentCommand dry_run_agent();

// The cheap checks of one jail (kernel features, a trial namespace), without starting it: what
// the launcher checks before it starts the agent's jail (a failed start then tries the next
// jail, so the agent's jail is not built twice). Their messages say what to change.
std::optional<Status> precheck_jail(JailKind kind, const config::LaunchOptions& options);

// One jail's probe for doctor: the precheck, then the dry run; nullopt when the jail is not
// built into this launcher.
std::optional<Status> probe_jail(JailKind kind, const config::LaunchOptions& options,
                                 const jail::AgentCommand& agent = dry_run_agent());

JailAvailability probe_jails(const config::LaunchOptions& options,
                             const jail::AgentCommand& agent = dry_run_agent());

}  // namespace jk::launcher::supervisor
