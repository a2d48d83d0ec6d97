#include "webhook/policy/jail_needs.h"

namespace jk::policy {
namespace {

using launchspec::JailType;

constexpr std::string_view kSysAdmin = "SYS_ADMIN";
constexpr std::string_view kNetAdmin = "NET_ADMIN";
constexpr std::string_view kSetfcap = "SETFCAP";
constexpr std::string_view kSysPtrace = "SYS_PTRACE";

void gate(JailNeed& n, const ContainerShape& shape, const NodeEnv& env, std::string_view cap,
          std::string why, std::string_view calls) {
  switch (seccomp_in_force(shape, env.seccomp_default)) {
    case SeccompKind::kRuntimeDefault:
      n.seccomp_gate = std::string(cap);
      n.seccomp_why = std::move(why);
      return;
    case SeccompKind::kLocalhost:
      n.warnings.push_back("its Localhost seccomp profile must allow " + std::string(calls) +
                           " for " + std::string(launchspec::jail_name(n.jail)));
      return;
    default:
      return;
  }
}

void nsjail_with_userns(JailNeed& n, const ContainerShape& shape, const NodeEnv& env) {
  gate(n, shape, env, kSysAdmin,
       "the jail's namespaces (clone with CLONE_NEWUSER/NEWNET/NEWNS/NEWPID, mount)",
       "unshare/clone of namespaces and mount");
  if (may_run_as_root(shape)) {
    n.capabilities.push_back(
        {std::string(kSetfcap), "maps uid 0 into the jail's user namespace (Linux >= 5.12)", true});
  }
}

void nsjail_without_userns(JailNeed& n, const ContainerShape& shape) {
  if (!may_run_as_root(shape)) {
    n.impossible =
        "nsjail without user namespaces needs CAP_SYS_ADMIN and CAP_NET_ADMIN, and a non-root "
        "container never holds capabilities (Kubernetes gives no ambient capabilities)";
    return;
  }
  if (may_run_as_non_root(shape)) {
    n.warnings.push_back("runAsUser unset: a non-root image user cannot start nsjail here");
  }
  n.capabilities.push_back({std::string(kSysAdmin),
                            "creates the jail's namespaces (no user "
                            "namespace on this node)"});
  n.capabilities.push_back({std::string(kNetAdmin),
                            "configures the jail's network (no user "
                            "namespace on this node)"});
}

void kernel_at_least(JailNeed& n, const NodeEnv& env, const KernelVersion& needed,
                     std::string_view feature) {
  if (env.newest_kernel && *env.newest_kernel < needed && !env.kernel_unknown) {
    n.impossible = std::string(feature) + " needs Linux >= " + needed.str() + ", kernel " +
                   env.newest_kernel->str();
  } else if (env.kernel_unknown) {
    n.kernel_uncertain = true;
  }
}

}  // namespace

JailNeed need_for(JailType jail, bool user_namespace, const ContainerShape& shape,
                  const NodeEnv& env) {
  JailNeed n;
  n.jail = jail;
  switch (jail) {
    case JailType::kNsjail:
      if (user_namespace && env.user_namespaces) {
        nsjail_with_userns(n, shape, env);
      } else {
        nsjail_without_userns(n, shape);
      }
      break;
    case JailType::kLandjail:
      kernel_at_least(n, env, kLandlockAbi4Kernel, "landjail (Landlock ABI 4)");
      break;
    case JailType::kSeccompjail:
      kernel_at_least(n, env, kSeccompAddfdKernel, "seccompjail (seccomp ADDFD)");
      gate(n, shape, env, kSysPtrace, "pidfd_getfd on the agent's sockets", "pidfd_getfd");
      break;
  }
  return n;
}

std::vector<std::string> unmet(const JailNeed& need, const ContainerShape& shape,
                               const NodeEnv& env) {
  std::vector<std::string> out;
  if (!need.impossible.empty()) out.push_back(need.impossible);
  for (const auto& c : need.capabilities) {
    if (!c.soft && !holds_capability(shape, c.capability))
      out.push_back("needs " + c.capability + ": " + c.why);
  }
  if (need.seccomp_gate &&
      seccomp_in_force(shape, env.seccomp_default) == SeccompKind::kRuntimeDefault &&
      !holds_capability(shape, *need.seccomp_gate)) {
    out.push_back("RuntimeDefault seccomp blocks " + need.seccomp_why +
                  " (needs seccomp "
                  "Unconfined or " +
                  *need.seccomp_gate + ")");
  }
  return out;
}

}  // namespace jk::policy
