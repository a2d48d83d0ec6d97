#include "webhook/config/pool_yaml.h"

#include <algorithm>

#include "webhook/config/yaml_fields.h"

namespace jk::config {

using policy::Pool;

namespace {

Status read_selector(const YAML::Node& node, const std::string& path, policy::Labels& out) {
  if (!node.IsMap() || node.size() == 0) {
    return type_error(node, path, "a non-empty map of node labels");
  }
  return for_each_entry(
      node, path,
      [&](const std::string& key, const YAML::Node& value, const std::string& here) -> Status {
        JK_TRY(out[key], read_string(value, here));
        return {};
      });
}

Status read_os(const YAML::Node& node, const std::string& path,
               std::optional<policy::NodeOs>& out) {
  JK_TRY(const std::string name, read_string(node, path));
  out = policy::parse_os(name);
  if (!out) return type_error(node, path, "one of amazon-linux, bottlerocket, fargate, other");
  return {};
}

Status read_kernel(const YAML::Node& node, const std::string& path,
                   std::optional<policy::KernelVersion>& out) {
  JK_TRY(const std::string text, read_string(node, path));
  out = policy::parse_kernel(text);
  if (!out) return type_error(node, path, "a kernel version like 6.1.0");
  return {};
}

Status read_taint(const YAML::Node& node, const std::string& path, policy::Taint& out) {
  JK_TRY_STATUS(read_map(
      node, path,
      {
          {"key",
           [&](const YAML::Node& v, const std::string& h) -> Status {
             JK_TRY(out.key, read_name(v, h));
             return {};
           }},
          {"value",
           [&](const YAML::Node& v, const std::string& h) { return read_into(v, h, out.value); }},
          {"effect",
           [&](const YAML::Node& v, const std::string& h) {
             return read_choice<std::string>(v, h,
                                             {{"NoSchedule", "NoSchedule"},
                                              {"PreferNoSchedule", "PreferNoSchedule"},
                                              {"NoExecute", "NoExecute"}},
                                             out.effect);
           }},
      }));
  if (out.key.empty()) return field_error(node, path + ".key", "required");
  if (out.effect.empty()) return field_error(node, path + ".effect", "required");
  return {};
}

Status read_taints(const YAML::Node& node, const std::string& path,
                   std::vector<policy::Taint>& out) {
  return for_each_item(node, path, [&](const YAML::Node& item, const std::string& here) -> Status {
    policy::Taint taint;
    JK_TRY_STATUS(read_taint(item, here, taint));
    out.push_back(std::move(taint));
    return {};
  });
}

Result<Pool> read_pool(const YAML::Node& node, const std::string& path) {
  Pool pool;
  JK_TRY_STATUS(read_map(
      node, path,
      {
          {"name",
           [&](const YAML::Node& v, const std::string& h) -> Status {
             JK_TRY(pool.name, read_name(v, h));
             return {};
           }},
          {"selector", [&](const YAML::Node& v,
                           const std::string& h) { return read_selector(v, h, pool.selector); }},
          {"os", [&](const YAML::Node& v, const std::string& h) { return read_os(v, h, pool.os); }},
          {"kernel", [&](const YAML::Node& v,
                         const std::string& h) { return read_kernel(v, h, pool.kernel); }},
          {"userNamespaces",
           [&](const YAML::Node& v, const std::string& h) {
             return read_into(v, h, pool.user_namespaces);
           }},
          {"seccompDefault",
           [&](const YAML::Node& v, const std::string& h) -> Status {
             bool value = false;
             const Status read = read_into(v, h, value);
             if (read.ok()) pool.seccomp_default = value;
             return read;
           }},
          {"taints", [&](const YAML::Node& v,
                         const std::string& h) { return read_taints(v, h, pool.taints); }},
      }));
  if (!node.IsMap()) return type_error(node, path, "a map");
  if (pool.name.empty()) return field_error(node, path + ".name", "required");
  if (pool.selector.empty()) return field_error(node, path + ".selector", "required");
  return pool;
}

}  // namespace

Status read_pools(const YAML::Node& node, const std::string& path, std::vector<Pool>& out) {
  out.clear();
  return for_each_item(node, path, [&](const YAML::Node& item, const std::string& here) -> Status {
    JK_TRY(Pool pool, read_pool(item, here));
    const bool duplicate =
        std::any_of(out.begin(), out.end(), [&](const Pool& p) { return p.name == pool.name; });
    if (duplicate) {
      return field_error(item, here + ".name", "duplicate pool name \"" + pool.name + "\"");
    }
    out.push_back(std::move(pool));
    return {};
  });
}

}  // namespace jk::config
