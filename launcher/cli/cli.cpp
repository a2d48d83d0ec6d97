#include "launcher/cli/cli.h"

#include <unistd.h>

#include <cstdlib>

#include "common/build_info.h"
#include "common/log.h"
#include "launcher/cli/doctor.h"
#include "launcher/cli/explain.h"
#include "launcher/cli/flags.h"
#include "launcher/cli/install.h"
#include "launcher/config/load.h"
#include "launcher/supervisor/instance_dir.h"
#include "launcher/supervisor/jail_probe.h"
#include "launcher/supervisor/supervisor.h"
#include "launcher/sys/capabilities.h"
#include "launcher/sys/lockdown.h"
#include "launchspec/launch_spec.h"

namespace jk::launcher::cli {
namespace {

constexpr std::size_t kExplainArgs = 2;

const char* const kUsage =
    "jailkeeper-launch: run a command in a network jail whose only way out is a filtering\n"
    "HTTP/HTTPS proxy (boundary-compatible rules and flags)\n"
    "\n"
    "Usage:\n"
    "  jailkeeper-launch [flags] -- COMMAND [ARGS...]  run COMMAND jailed; exit status is its\n"
    "                                                 own (128+N if killed by signal N), 125\n"
    "                                                 when no jail can be built (fail closed)\n"
    "  jailkeeper-launch explain [flags] METHOD URL   exit 0 allowed, 1 denied, 2 invalid\n"
    "  jailkeeper-launch install DIR                  copy this binary to DIR/jailkeeper-launch\n"
    "  jailkeeper-launch doctor [-o json]             what this host allows, which jails can run\n"
    "  jailkeeper-launch version\n"
    "\n"
    "Jails (--jail-type, or the launch spec; auto = the first that can run here):\n"
    "  nsjail       new network/mount/pid (+user) namespaces; every TCP connection ends at the\n"
    "               proxy, DNS answered by a stub, other UDP/ICMP/IPv6 dropped. Needs user\n"
    "               namespaces, or --no-user-namespace with CAP_SYS_ADMIN + CAP_NET_ADMIN\n"
    "  landjail     Landlock ABI >= 4 (Linux >= 6.7): TCP connect only to the proxy's random\n"
    "               port, HTTP(S)_PROXY set, NO_PROXY cleared. Needs no privilege\n"
    "  seccompjail  seccomp user notification (Linux >= 5.9): the launcher performs every\n"
    "               connect itself, to the proxy. Needs no privilege\n"
    "The agent gets no capabilities, no_new_privs and a seccomp filter against namespaces,\n"
    "mounts, ptrace, bpf and io_uring, plus SSL_CERT_FILE & co. naming a bundle that trusts the\n"
    "launcher's per-run CA (its key never leaves the launcher's memory). Signals are forwarded.\n"
    "`doctor` tells which jails can run here and why not.\n"
    "\n";

int usage_error(std::ostream& err, const std::string& message) {
  err << "jailkeeper-launch: " << message << "\n";
  return kExitUsage;
}

int run_explain(const std::vector<std::string>& args, const config::Environment& env,
                std::ostream& out, std::ostream& err) {
  auto parsed = parse_flags(args);
  if (!parsed.ok()) return usage_error(err, "explain: " + parsed.error().message);
  if (parsed->help) {
    out << "Usage: jailkeeper-launch explain [flags] METHOD URL\n\n" << kFlagsHelp;
    return 0;
  }
  if (parsed->positional.size() != kExplainArgs || parsed->has_separator) {
    return usage_error(err, "explain: expected METHOD URL, e.g. explain GET https://github.com/");
  }
  auto options = config::load_options(parsed->flags, env);
  if (!options.ok()) return usage_error(err, "explain: " + options.error().message);
  auto e = explain_request(*options, parsed->positional[0], parsed->positional[1]);
  if (!e.ok()) return usage_error(err, "explain: " + e.error().message);
  return print_explanation(*e, out);
}

int run_install(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 1 || args[0].empty() || args[0][0] == '-') {
    return usage_error(err, "install: expected one argument, the target directory");
  }
  auto installed = install_binary(kSelfExe, args[0]);
  if (!installed.ok()) {
    err << "jailkeeper-launch: install: " << installed.error().message << "\n";
    return kExitLauncherFailure;
  }
  out << "installed " << *installed << "\n";
  return 0;
}

int run_doctor(const std::vector<std::string>& args, const config::Environment& env,
               std::ostream& out, std::ostream& err) {
  const bool json = args == std::vector<std::string>{"-o", "json"} ||
                    args == std::vector<std::string>{"--output=json"};
  if (!json && !args.empty()) return usage_error(err, "doctor: expected no argument or -o json");
  auto options = config::load_options(config::OptionLayer{}, env);
  if (!options.ok()) return usage_error(err, "doctor: " + options.error().message);
  const DoctorReport report = gather_doctor_report(*options);
  out << (json ? format_doctor_json(report) : format_doctor_text(report));
  return 0;
}

std::vector<std::string> environment_entries(const config::Environment& env) {
  std::vector<std::string> entries;
  entries.reserve(env.size());
  for (const auto& [name, value] : env) entries.push_back(name + "=" + value);
  return entries;
}

// Fail closed: the command runs in a jail or not at all.
int run_jailed(const std::vector<std::string>& args, const config::Environment& env,
               std::ostream& out, std::ostream& err) {
  auto parsed = parse_flags(args);
  if (!parsed.ok()) return usage_error(err, parsed.error().message);
  if (parsed->help) {
    out << kUsage << kFlagsHelp;
    return 0;
  }
  if (!parsed->positional.empty() || parsed->command.empty()) {
    return usage_error(err, "expected [flags] -- COMMAND [ARGS...]");
  }
  auto options = config::load_options(parsed->flags, env);
  if (!options.ok()) return usage_error(err, options.error().message);
  log::set_level(options->log_level);
  const auto tmpdir = env.find("TMPDIR");
  const supervisor::RunContext context{
      supervisor::temp_parents(tmpdir == env.end() ? nullptr : tmpdir->second.c_str())};
  auto code = supervisor::run_agent(
      *options, jail::AgentCommand{parsed->command, environment_entries(env)}, context);
  if (!code.ok()) {
    err << "jailkeeper-launch: " << code.error().message << "; not running \"" << parsed->command[0]
        << "\"\n";
    return kExitLauncherFailure;
  }
  return *code;
}

// The agent of a jail probe's dry run (supervisor/jail_probe.h): jailed means no capability to
// hold and no_new_privs.
[[noreturn]] void dry_run_agent(std::ostream& err) {
  auto sets = sys::read_own_capabilities();
  auto nnp = sys::no_new_privs();
  const bool jailed = sets.ok() && nnp.ok() && *nnp &&
                      (sets->inheritable | sets->permitted | sets->effective | sets->ambient) == 0;
  if (!jailed) err << "jailkeeper-launch: dry run: not jailed\n";
  err.flush();
  // _exit: nothing of the launcher's own exit path runs inside the jail. Under LeakSanitizer that
  // path would stop the world with ptrace, which the jail's seccomp filter refuses, and turn
  // every dry run into a failure.
  ::_exit(jailed ? 0 : supervisor::kDryRunNotJailed);
}

}  // namespace

int run(const std::vector<std::string>& args, const config::Environment& env, std::ostream& out,
        std::ostream& err) {
  if (args.empty()) {
    err << kUsage << kFlagsHelp;
    return kExitUsage;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    out << kUsage << kFlagsHelp;
    return 0;
  }
  if (command == "version" || command == "--version") {
    out << "jailkeeper-launch " << build_info::version() << " (revision " << build_info::revision()
        << ", launch spec v" << launchspec::kVersion << ")\n";
    return 0;
  }
  if (command == "explain") return run_explain(rest, env, out, err);
  if (command == "install") return run_install(rest, out, err);
  if (command == "doctor") return run_doctor(rest, env, out, err);
  if (command == supervisor::kDryRunCommand) dry_run_agent(err);
  return run_jailed(args, env, out, err);
}

}  // namespace jk::launcher::cli
