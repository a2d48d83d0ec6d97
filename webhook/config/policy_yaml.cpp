#include "webhook/config/policy_yaml.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include "launchspec/rules.h"
#include "webhook/config/yaml_fields.h"

namespace jk::config {

using policy::PolicyConfig;

namespace {

Status read_allow(const YAML::Node& node, const std::string& path, std::vector<std::string>& out) {
  out.clear();
  return for_each_item(node, path, [&](const YAML::Node& item, const std::string& here) -> Status {
    JK_TRY(std::string text, read_string(item, here));
    const auto rule = launchspec::parse_rule(text);
    if (!rule.ok()) return field_error(item, here, rule.error().message);
    out.push_back(std::move(text));
    return {};
  });
}

Status read_policy(const YAML::Node& node, const std::string& path, policy::Policy& out) {
  return read_map(node, path,
                  {
                      {"allow", [&](const YAML::Node& v,
                                    const std::string& h) { return read_allow(v, h, out.allow); }},
                  });
}

}  // namespace

Status read_strategies(const YAML::Node& node, const std::string& path, PolicyConfig& out) {
  using policy::MixedStrategy;
  using policy::OldKernelStrategy;
  using policy::PodSecurityStrategy;
  using policy::UnknownStrategy;
  return read_map(
      node, path,
      {
          {"mixed",
           [&](const YAML::Node& v, const std::string& h) {
             return read_choice(v, h,
                                {{"union", MixedStrategy::kUnion}, {"deny", MixedStrategy::kDeny}},
                                out.mixed);
           }},
          {"unknown",
           [&](const YAML::Node& v, const std::string& h) {
             return read_choice(
                 v, h, {{"profile", UnknownStrategy::kProfile}, {"deny", UnknownStrategy::kDeny}},
                 out.unknown);
           }},
          {"fargateOldKernel",
           [&](const YAML::Node& v, const std::string& h) {
             return read_choice(
                 v, h, {{"warn", OldKernelStrategy::kWarn}, {"deny", OldKernelStrategy::kDeny}},
                 out.fargate_old_kernel);
           }},
          {"podSecurity",
           [&](const YAML::Node& v, const std::string& h) {
             return read_choice(
                 v, h, {{"deny", PodSecurityStrategy::kDeny}, {"warn", PodSecurityStrategy::kWarn}},
                 out.pod_security);
           }},
      });
}

Status read_policies(const YAML::Node& node, const std::string& path, PolicyConfig& out) {
  return for_each_entry(
      node, path,
      [&](const std::string& name, const YAML::Node& value, const std::string& here) -> Status {
        if (name.empty()) return field_error(value, here, "empty policy name");
        policy::Policy p;
        JK_TRY_STATUS(read_policy(value, here, p));
        out.policies[name] = std::move(p);
        return {};
      });
}

namespace {

constexpr std::size_t kMaxArchName = 32;

// kubernetes.io/arch values are Go's GOARCH names: lowercase letters and digits.
bool is_arch_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxArchName &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

}  // namespace

Status read_launcher(const YAML::Node& node, const std::string& path,
                     policy::LauncherOptions& out) {
  return read_map(
      node, path,
      {
          {"image",
           [&](const YAML::Node& v, const std::string& h) -> Status {
             JK_TRY(out.image, read_name(v, h));
             return {};
           }},
          {"imagePullPolicy",
           [&](const YAML::Node& v, const std::string& h) {
             return read_choice<std::string>(
                 v, h, {{"Always", "Always"}, {"IfNotPresent", "IfNotPresent"}, {"Never", "Never"}},
                 out.image_pull_policy);
           }},
          {"proxyPort",
           [&](const YAML::Node& v, const std::string& h) {
             return read_into_uint(v, h, out.proxy_port, 0);
           }},
          {"architectures",
           [&](const YAML::Node& v, const std::string& h) -> Status {
             JK_TRY(auto archs, read_string_list(v, h));
             if (archs.empty()) {
               return field_error(v, h, "names no architecture (the image provides at least one)");
             }
             for (const std::string& a : archs) {
               if (!is_arch_name(a)) {
                 return field_error(v, h,
                                    "'" + a +
                                        "' is not an architecture name (as kubernetes.io/arch "
                                        "gives it: amd64, arm64, ...)");
               }
             }
             out.architectures = std::move(archs);
             return {};
           }},
      });
}

}  // namespace jk::config
