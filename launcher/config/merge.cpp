#include "launcher/config/merge.h"

#include <optional>

namespace jk::launcher::config {
namespace {

// The first source (in precedence order) that sets the field, else the default.
template <typename T>
T pick(const Layers& l, std::optional<T> OptionLayer::*field, T fallback) {
  for (const OptionLayer* layer : {&l.flags, &l.env, &l.yaml, &l.spec}) {
    if ((layer->*field).has_value()) return *(layer->*field);
  }
  return fallback;
}

template <typename T>
bool sets(const Layers& l, std::optional<T> OptionLayer::*field) {
  for (const OptionLayer* layer : {&l.flags, &l.env, &l.yaml, &l.spec}) {
    if ((layer->*field).has_value()) return true;
  }
  return false;
}

Status append_rules(const std::optional<std::vector<RuleText>>& texts,
                    std::vector<AllowRule>& out) {
  if (!texts) return {};
  for (const RuleText& t : *texts) {
    auto rule = launchspec::parse_rule(t.text);
    if (!rule.ok()) return rule.error().wrap(t.origin);
    out.push_back({std::move(rule).value(), t.origin});
  }
  return {};
}

Status append_prefixes(const std::optional<std::vector<RuleText>>& texts,
                       std::vector<launchspec::AddressPrefix>& out) {
  if (!texts) return {};
  for (const RuleText& t : *texts) {
    auto prefix = launchspec::parse_prefix(t.text);
    if (!prefix.ok()) return prefix.error().wrap(t.origin);
    out.push_back(std::move(prefix).value());
  }
  return {};
}

Result<std::vector<launchspec::AddressPrefix>> merge_allow_internal(const Layers& l) {
  std::vector<launchspec::AddressPrefix> out;
  JK_TRY_STATUS(append_prefixes(l.spec.allow_internal, out));
  JK_TRY_STATUS(append_prefixes(l.yaml.allow_internal, out));
  JK_TRY_STATUS(
      append_prefixes(l.flags.allow_internal ? l.flags.allow_internal : l.env.allow_internal, out));
  return out;
}

Result<std::vector<AllowRule>> merge_rules(const Layers& l) {
  std::vector<AllowRule> rules;
  JK_TRY_STATUS(append_rules(l.spec.allow, rules));
  JK_TRY_STATUS(append_rules(l.yaml.allow, rules));
  JK_TRY_STATUS(append_rules(l.flags.allow ? l.flags.allow : l.env.allow, rules));
  return rules;
}

}  // namespace

Result<LaunchOptions> merge_layers(const Layers& layers) {
  LaunchOptions o;
  JK_TRY(o.allow, merge_rules(layers));
  o.jail_type = pick(layers, &OptionLayer::jail_type, JailChoice::kAuto);
  o.fallback = pick(layers, &OptionLayer::fallback, std::vector<launchspec::JailType>{});
  o.no_user_namespace = pick(layers, &OptionLayer::no_user_namespace, false);
  o.proxy_port = pick(layers, &OptionLayer::proxy_port, kDefaultProxyPort);
  o.proxy_port_explicit = sets(layers, &OptionLayer::proxy_port);
  o.log_level = pick(layers, &OptionLayer::log_level, kDefaultLogLevel);
  o.log_dir = pick(layers, &OptionLayer::log_dir, std::string());
  o.use_real_dns = pick(layers, &OptionLayer::use_real_dns, false);
  JK_TRY(o.allow_internal, merge_allow_internal(layers));
  return o;
}

}  // namespace jk::launcher::config
