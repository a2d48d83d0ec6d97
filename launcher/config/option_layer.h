#pragma once
// One source of options (flags, environment, YAML file, launch spec) before merging: every
// field is optional, "absent" meaning "this source says nothing". Values are already parsed
// and checked; allow rules are kept as text with their origin and parsed at merge time.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "launcher/config/launch_options.h"

namespace jk::launcher::config {

struct RuleText {
  std::string text;
  std::string origin;  // `--allow[1]`, `BOUNDARY_ALLOW`, `config /x.yaml: allowlist[0]`, ...
};

struct OptionLayer {
  std::optional<std::vector<RuleText>> allow;  // present (maybe empty) when the source sets it
  std::optional<std::string> config_path;      // flags and environment only
  std::optional<JailChoice> jail_type;
  std::optional<std::vector<launchspec::JailType>> fallback;  // launch spec only
  std::optional<bool> no_user_namespace;
  std::optional<std::uint16_t> proxy_port;
  std::optional<log::Level> log_level;
  std::optional<std::string> log_dir;
  std::optional<bool> use_real_dns;
  std::optional<std::vector<RuleText>> allow_internal;  // address prefixes, with their origin
};

}  // namespace jk::launcher::config
