#pragma once
// The launcher's configuration: one validated, immutable value built from flags, environment,
// the YAML config file, the launch spec written by the webhook and defaults (see load.h for the
// precedence). Components receive only the fields they need.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "launchspec/address_prefix.h"
#include "launchspec/launch_spec.h"
#include "launchspec/rules.h"

namespace jk::launcher::config {

inline constexpr std::uint16_t kDefaultProxyPort = 8080;
inline constexpr log::Level kDefaultLogLevel = log::Level::kWarn;

// `auto` lets the launcher pick the strongest jail this kernel and container can build.
enum class JailChoice { kAuto, kNsjail, kLandjail, kSeccompjail };
std::string_view jail_choice_name(JailChoice choice);
JailChoice from_spec_jail(launchspec::JailType jail);

// A validated rule and where it came from, e.g. `--allow[2]` or
// `config /etc/boundary.yaml: allowlist[0]`; rule.text is the source text.
struct AllowRule {
  launchspec::Rule rule;
  std::string origin;
};

struct LaunchOptions {
  std::vector<AllowRule> allow;  // evaluated in order; first match wins
  JailChoice jail_type = JailChoice::kAuto;
  std::vector<launchspec::JailType> fallback;  // only from the launch spec
  bool no_user_namespace = false;
  std::uint16_t proxy_port = kDefaultProxyPort;
  // True when a flag, variable, config file or launch spec named the port. landjail listens on a
  // random high port unless one was named (its Landlock rule cannot name an address).
  bool proxy_port_explicit = false;
  log::Level log_level = kDefaultLogLevel;
  std::string log_dir;  // empty: logs go to stderr
  bool use_real_dns = false;
  // Internal upstream addresses the proxy may connect to (--allow-internal; launch spec, YAML
  // and flags or environment, in that order, like the rules).
  std::vector<launchspec::AddressPrefix> allow_internal;

  // The parsed rules alone, in order (what the matcher takes).
  [[nodiscard]] std::vector<launchspec::Rule> rules() const;
};

}  // namespace jk::launcher::config
