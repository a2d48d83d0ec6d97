#pragma once
// The proxy's own name resolution settings (issue 13: nothing the agent can write may change
// where the proxy connects). /etc/hosts (with Kubernetes hostAliases, which the kubelet writes
// there) and /etc/resolv.conf are read once, before the agent starts; the proxy then resolves
// with this snapshot and its own DNS client (resolver.h), never with getaddrinfo, so a root
// agent rewriting either file, nsswitch.conf or gai.conf changes nothing. Pure except
// read_resolver_config.
#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "launchspec/address_prefix.h"

namespace jk::launcher::proxy {

inline constexpr int kDefaultNdots = 1;
inline constexpr int kMaxNdots = 15;  // glibc's cap
inline constexpr int kDefaultAttempts = 2;
inline constexpr int kMaxAttempts = 5;
inline constexpr std::chrono::seconds kDefaultDnsTimeout{5};
inline constexpr std::chrono::seconds kMaxDnsTimeout{30};

struct ResolverConfig {
  // Lower-cased name (no trailing dot) -> addresses in file order; the first line naming a host
  // wins for that line's addresses, later lines add to them (glibc's multi behaviour).
  std::unordered_map<std::string, std::vector<launchspec::IpAddress>> hosts;
  std::vector<launchspec::IpAddress> nameservers;  // port 53, at most three (glibc's MAXNS)
  std::vector<std::string> search;                 // lower-cased, no trailing dot
  int ndots = kDefaultNdots;
  std::chrono::milliseconds timeout = kDefaultDnsTimeout;  // per query and nameserver
  int attempts = kDefaultAttempts;
};

// hosts(5) text: "ADDRESS NAME [ALIAS...]" lines, '#' comments; bad lines are skipped (as
// glibc does).
void parse_hosts(std::string_view text, ResolverConfig& config);
// resolv.conf(5) text: nameserver, search/domain (the last one wins), options ndots: timeout:
// attempts:. Unknown lines and options are ignored (as glibc does).
void parse_resolv_conf(std::string_view text, ResolverConfig& config);

// Reads both files; a missing file is an empty one (no hosts, or no nameserver: then only
// /etc/hosts and IP literals resolve). Call before the agent starts.
Result<ResolverConfig> read_resolver_config(const std::string& hosts_path = "/etc/hosts",
                                            const std::string& resolv_path = "/etc/resolv.conf");

// The names to ask DNS for, in order (glibc's rules): a name with a trailing dot only as is; a
// name with at least `ndots` dots as is first, then with each search domain; else each search
// domain first, then as is. Lower-cased, trailing dot removed.
std::vector<std::string> candidate_names(const ResolverConfig& config, std::string_view name);

}  // namespace jk::launcher::proxy
