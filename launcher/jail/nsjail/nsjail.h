#pragma once
// nsjail: the agent in new network + mount + pid namespaces (and a user namespace unless
// disabled), where nf_tables rules redirect every TCP connection to a listener the parent's
// proxy accepts from, udp/53 to the DNS stub, and drop everything else (launcher/net).
//
// Processes: launcher -> jail init (pid 1 of the new pid namespace: builds the network, hands
// the two sockets to the launcher, mounts /proc, locks itself down, forks the agent, relays
// signals, reaps, exits with the agent's status) -> agent. When the launcher dies, PDEATHSIG
// kills init and with it the whole pid namespace; the namespaces, rules and mounts vanish with
// their last process, so nothing is left behind.
#include <cstdint>

#include "common/result.h"
#include "launcher/jail/jail.h"

namespace jk::launcher::jail {

// Ports inside the jail's private network namespace (they cannot collide with the pod's).
inline constexpr std::uint16_t kDefaultRelayPort = 15001;
inline constexpr std::uint16_t kDefaultDnsPort = 15053;

struct NsjailOptions {
  // false = --no-user-namespace: needs CAP_SYS_ADMIN (+ CAP_NET_ADMIN) in the launcher's own
  // namespace. Also false automatically when user.max_user_namespaces is 0 (logged at info).
  bool user_namespace = true;
  std::uint16_t relay_port = kDefaultRelayPort;  // 127.0.0.1:<relay_port> TCP listener
  std::uint16_t dns_port = kDefaultDnsPort;      // 127.0.0.1:<dns_port> UDP socket
};

// Ok, or one line naming what is missing and the fix. Runs the real setup (namespaces +
// nf_tables batch) in a short-lived child, so it answers for this kernel, container and
// seccomp profile.
Status nsjail_available(const NsjailOptions& options);

// Starts the jail and the agent. Returns once the agent has exec'd, with the init's pid and
// pidfd, the TCP listener (accepted sockets answer SO_ORIGINAL_DST) and the DNS socket; or the
// reason the jail could not be built (then nothing is running).
Result<JailChild> start_nsjail(const NsjailOptions& options, const AgentCommand& cmd);

// Whether to use a user namespace: options.user_namespace unless max_user_namespaces (read from
// `sysctl_path`) is 0. No side effect; start_nsjail logs the downgrade at info.
inline constexpr const char* kMaxUserNamespacesPath = "/proc/sys/user/max_user_namespaces";
bool use_user_namespace(const NsjailOptions& options,
                        const char* sysctl_path = kMaxUserNamespacesPath);

}  // namespace jk::launcher::jail
