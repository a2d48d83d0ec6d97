#pragma once
// The contract between jailkeeper-webhook (writer) and jailkeeper-launch (reader): the JSON in
// the pod annotation `jailkeeper.io/launch-spec`, mounted at /jailkeeper/spec/launch-spec.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::launchspec {

inline constexpr int kVersion = 1;
inline constexpr std::string_view kSpecPath = "/jailkeeper/spec/launch-spec";
inline constexpr std::string_view kLauncherPath = "/jailkeeper/bin/jailkeeper-launch";
inline constexpr std::string_view kSpecEnv = "JAILKEEPER_SPEC";
// A writable emptyDir the webhook mounts for the launcher's per-run files (the trust bundle), so
// a container with readOnlyRootFilesystem and no writable /tmp still gets a jail.
inline constexpr std::string_view kRunDir = "/jailkeeper/run";

enum class JailType { kNsjail, kLandjail, kSeccompjail };
std::string_view jail_name(JailType jail);
std::optional<JailType> parse_jail(std::string_view name);

struct LaunchSpec {
  int version = kVersion;
  JailType jail = JailType::kNsjail;
  // Jails the launcher may fall back to, in order, when `jail` cannot be built on this kernel
  // (e.g. Fargate: landjail, then seccompjail when Landlock ABI 4 is missing).
  std::vector<JailType> fallback;
  bool user_namespace = true;
  std::vector<std::string> allow;  // boundary rule strings, validated by the writer
  std::uint16_t proxy_port = 0;    // 0: the launcher's default for the jail type
  std::string policy;              // name of the admin policy the rules came from
  // Address prefixes ("127.0.0.1/32") of internal upstreams the proxy may connect to anyway
  // (JSON "allowInternal", written only when not empty; launchspec/address_prefix.h).
  std::vector<std::string> allow_internal;
  bool operator==(const LaunchSpec&) const = default;
};

// Compact JSON with a fixed key order (deterministic, so patches are stable).
std::string to_json(const LaunchSpec& spec);
// The same, appended to `out` (the webhook writes it into a reused buffer).
void append_json(const LaunchSpec& spec, std::string& out);
// Rejects unknown versions, unknown jail names and wrong types with a message naming the field.
Result<LaunchSpec> from_json(std::string_view json);

}  // namespace jk::launchspec
