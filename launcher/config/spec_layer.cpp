#include "launcher/config/spec_layer.h"

#include <string>

namespace jk::launcher::config {

OptionLayer layer_from_spec(const launchspec::LaunchSpec& spec, std::string_view origin) {
  OptionLayer layer;
  std::vector<RuleText> rules;
  for (std::size_t i = 0; i < spec.allow.size(); ++i) {
    rules.push_back({spec.allow[i], std::string(origin) + ": allow[" + std::to_string(i) + "]"});
  }
  layer.allow = std::move(rules);
  layer.jail_type = from_spec_jail(spec.jail);
  layer.fallback = spec.fallback;
  layer.no_user_namespace = !spec.user_namespace;
  if (spec.proxy_port != 0) layer.proxy_port = spec.proxy_port;
  if (!spec.allow_internal.empty()) {
    std::vector<RuleText> prefixes;
    for (std::size_t i = 0; i < spec.allow_internal.size(); ++i) {
      prefixes.push_back({spec.allow_internal[i],
                          std::string(origin) + ": allowInternal[" + std::to_string(i) + "]"});
    }
    layer.allow_internal = std::move(prefixes);
  }
  return layer;
}

}  // namespace jk::launcher::config
