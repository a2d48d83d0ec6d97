#include "launcher/config/load.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "launcher/config/merge.h"
#include "launcher/config/spec_layer.h"
#include "launcher/config/yaml_layer.h"
#include "launchspec/launch_spec.h"

namespace jk::launcher::config {
namespace {

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot open: " + std::string(std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error("cannot read: " + std::string(std::strerror(errno)));
  return text.str();
}

Result<OptionLayer> yaml_layer(const std::optional<std::string>& path) {
  if (!path) return OptionLayer{};
  const std::string origin = "config " + *path;
  auto text = read_text_file(*path);
  if (!text.ok()) return text.error().wrap(origin);
  return layer_from_yaml(*text, origin);
}

Result<OptionLayer> spec_layer(const Environment& env) {
  const auto it = env.find(std::string(launchspec::kSpecEnv));
  if (it == env.end()) return OptionLayer{};
  const std::string origin = "spec " + it->second;
  if (it->second.empty())
    return make_error(std::string(launchspec::kSpecEnv) + " is set but empty");
  auto text = read_text_file(it->second);
  if (!text.ok()) return text.error().wrap(origin);
  auto spec = launchspec::from_json(*text);
  if (!spec.ok()) return spec.error().wrap(origin);
  return layer_from_spec(*spec, origin);
}

}  // namespace

Result<LaunchOptions> load_options(const OptionLayer& flags, const Environment& env) {
  Layers layers;
  layers.flags = flags;
  JK_TRY(layers.env, layer_from_env(env));
  JK_TRY(layers.yaml, yaml_layer(flags.config_path ? flags.config_path : layers.env.config_path));
  JK_TRY(layers.spec, spec_layer(env));
  return merge_layers(layers);
}

}  // namespace jk::launcher::config
