#include "launcher/config/yaml_layer.h"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <set>

#include "launcher/config/value_parsers.h"

namespace jk::launcher::config {
namespace {

using KeyReader =
    std::function<Status(const YAML::Node& value, const std::string& origin, OptionLayer& out)>;

Error yaml_error(const std::string& origin, std::string_view what) {
  return make_error(origin + ": " + std::string(what));
}

// " (line L, column C)", 1-based; empty when yaml-cpp has no position for the node.
std::string location(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return "";
  return " (line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) +
         ")";
}

Result<std::string> scalar(const YAML::Node& node, const std::string& origin) {
  if (!node.IsScalar()) return yaml_error(origin, "expected a scalar value");
  return node.Scalar();
}

// Applies a text parser to a scalar node and stores the result.
template <typename T, typename Parse>
KeyReader scalar_reader(Parse parse, std::optional<T> OptionLayer::*field) {
  return
      [parse, field](const YAML::Node& v, const std::string& origin, OptionLayer& out) -> Status {
        JK_TRY(const std::string text, scalar(v, origin));
        JK_TRY(T value, parse(text, origin));
        out.*field = std::move(value);
        return {};
      };
}

Status read_allowlist(const YAML::Node& v, const std::string& origin, OptionLayer& out) {
  std::vector<RuleText> rules;
  if (!v.IsNull() && !v.IsSequence()) return yaml_error(origin, "expected a list of rules");
  for (std::size_t i = 0; v.IsSequence() && i < v.size(); ++i) {
    const std::string item_origin = origin + "[" + std::to_string(i) + "]";
    JK_TRY(std::string text, scalar(v[i], item_origin));
    rules.push_back({std::move(text), item_origin});
  }
  out.allow = std::move(rules);
  return {};
}

Result<std::string> as_string(std::string_view text, std::string_view /*origin*/) {
  return std::string(text);
}

Status read_allow_internal(const YAML::Node& v, const std::string& origin, OptionLayer& out) {
  std::vector<RuleText> prefixes;
  if (!v.IsNull() && !v.IsSequence()) return yaml_error(origin, "expected a list of prefixes");
  for (std::size_t i = 0; v.IsSequence() && i < v.size(); ++i) {
    const std::string item_origin = origin + "[" + std::to_string(i) + "]";
    JK_TRY(std::string text, scalar(v[i], item_origin));
    prefixes.push_back({std::move(text), item_origin});
  }
  out.allow_internal = std::move(prefixes);
  return {};
}

const std::map<std::string, KeyReader>& key_readers() {
  static const std::map<std::string, KeyReader> kReaders = {
      {"allowlist", read_allowlist},
      {"allow_internal", read_allow_internal},
      {"jail_type", scalar_reader(parse_jail_choice_value, &OptionLayer::jail_type)},
      {"log_dir", scalar_reader(as_string, &OptionLayer::log_dir)},
      {"log_level", scalar_reader(parse_log_level_value, &OptionLayer::log_level)},
      {"no_user_namespace", scalar_reader(parse_bool_value, &OptionLayer::no_user_namespace)},
      {"proxy_port", scalar_reader(parse_port_value, &OptionLayer::proxy_port)},
      {"use_real_dns", scalar_reader(parse_bool_value, &OptionLayer::use_real_dns)},
  };
  return kReaders;
}

Result<OptionLayer> read_document(const YAML::Node& root, const std::string& origin) {
  OptionLayer layer;
  if (root.IsNull()) return layer;
  if (!root.IsMap()) return yaml_error(origin, "expected a map of options at the top level");
  std::set<std::string> seen;
  for (const auto& entry : root) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
    const auto reader = key_readers().find(key);
    if (reader == key_readers().end()) {
      return yaml_error(origin, "unknown key \"" + key + "\"" + location(entry.first));
    }
    if (!seen.insert(key).second) {
      return yaml_error(origin, "duplicate key \"" + key + "\"" + location(entry.first));
    }
    JK_TRY_STATUS(reader->second(entry.second, origin + ": " + key, layer));
  }
  return layer;
}

}  // namespace

Result<OptionLayer> layer_from_yaml(std::string_view text, std::string_view origin) {
  const std::string where(origin);
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return read_document(root, where);
  } catch (const YAML::Exception& e) {
    return yaml_error(where, std::string("invalid YAML: ") + e.what());
  }
}

}  // namespace jk::launcher::config
