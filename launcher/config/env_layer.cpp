#include "launcher/config/env_layer.h"

#include <optional>
#include <string_view>

#include "common/strings.h"
#include "launcher/config/value_parsers.h"

namespace jk::launcher::config {
namespace {

struct EnvValue {
  std::string name;  // the variable the value came from (for error messages and origins)
  std::string value;
};

std::optional<EnvValue> lookup(const Environment& env, std::string_view ours,
                               std::string_view boundary) {
  for (const std::string_view name : {ours, boundary}) {
    const auto it = env.find(std::string(name));
    if (it != env.end() && !it->second.empty()) return EnvValue{it->first, it->second};
  }
  return std::nullopt;
}

std::vector<RuleText> split_rules(const EnvValue& v) {
  std::vector<RuleText> rules;
  std::size_t line = 0;
  for (const std::string_view text : split(v.value, '\n')) {
    ++line;
    std::string_view rule = text;
    if (!rule.empty() && rule.back() == '\r') rule.remove_suffix(1);
    if (trim(rule).empty()) continue;
    rules.push_back({std::string(rule), v.name + " line " + std::to_string(line)});
  }
  return rules;
}

// Parses the variable pair into out when set.
template <typename T, typename Parse>
Status read_variable(const Environment& env, std::string_view ours, std::string_view boundary,
                     Parse parse, std::optional<T>& out) {
  const auto v = lookup(env, ours, boundary);
  if (!v) return {};
  auto parsed = parse(v->value, v->name);
  if (!parsed.ok()) return parsed.error();
  out = std::move(parsed).value();
  return {};
}

Result<std::string> as_string(std::string_view text, std::string_view /*origin*/) {
  return std::string(text);
}

}  // namespace

Result<OptionLayer> layer_from_env(const Environment& env) {
  OptionLayer layer;
  if (const auto allow = lookup(env, "JAILKEEPER_ALLOW", "BOUNDARY_ALLOW")) {
    layer.allow = split_rules(*allow);
  }
  JK_TRY_STATUS(
      read_variable(env, "JAILKEEPER_CONFIG", "BOUNDARY_CONFIG", as_string, layer.config_path));
  JK_TRY_STATUS(read_variable(env, "JAILKEEPER_JAIL_TYPE", "BOUNDARY_JAIL_TYPE",
                              parse_jail_choice_value, layer.jail_type));
  JK_TRY_STATUS(read_variable(env, "JAILKEEPER_NO_USER_NAMESPACE", "BOUNDARY_NO_USER_NAMESPACE",
                              parse_bool_value, layer.no_user_namespace));
  JK_TRY_STATUS(read_variable(env, "JAILKEEPER_PROXY_PORT", "PROXY_PORT", parse_port_value,
                              layer.proxy_port));
  JK_TRY_STATUS(read_variable(env, "JAILKEEPER_LOG_LEVEL", "BOUNDARY_LOG_LEVEL",
                              parse_log_level_value, layer.log_level));
  JK_TRY_STATUS(
      read_variable(env, "JAILKEEPER_LOG_DIR", "BOUNDARY_LOG_DIR", as_string, layer.log_dir));
  if (const auto prefixes = lookup(env, "JAILKEEPER_ALLOW_INTERNAL", "JAILKEEPER_ALLOW_INTERNAL")) {
    std::vector<RuleText> list;
    for (const std::string_view item : split(prefixes->value, ',')) {
      if (!trim(item).empty()) list.push_back({std::string(trim(item)), prefixes->name});
    }
    layer.allow_internal = std::move(list);
  }
  JK_TRY_STATUS(read_variable(env, "JAILKEEPER_USE_REAL_DNS", "BOUNDARY_USE_REAL_DNS",
                              parse_bool_value, layer.use_real_dns));
  return layer;
}

}  // namespace jk::launcher::config
