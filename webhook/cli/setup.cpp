#include "webhook/cli/setup.h"

#include <unistd.h>

#include "common/log.h"

namespace jk::cli {

Result<config::Config> load_config(const std::optional<std::string>& path) {
  if (path) return config::load_config_file(*path);
  auto c = config::parse_config(config::default_config_yaml());
  if (!c.ok()) return c.error().wrap("built-in default config");
  return c;
}

Result<std::shared_ptr<const inventory::NodeSource>> load_nodes(
    const std::optional<std::string>& path, bool warn_if_missing) {
  if (path) {
    JK_TRY(auto source, inventory::load_node_file(*path));
    log::info("node inventory loaded", {{"source", source->describe()}});
    return std::shared_ptr<const inventory::NodeSource>(std::move(source));
  }
  if (warn_if_missing)
    log::warn("no node inventory (--nodes): every pod gets the 'unknown' profile");
  return std::shared_ptr<const inventory::NodeSource>(std::make_shared<inventory::StaticNodeSource>(
      std::vector<policy::Node>{}, "empty inventory"));
}

kube::Environment process_environment() {
  kube::Environment env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::size_t eq = entry.find('=');
    if (eq != std::string_view::npos) env.vars.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

}  // namespace jk::cli
