#include "webhook/config/profile_yaml.h"

#include <algorithm>

#include "webhook/config/capabilities.h"
#include "webhook/config/yaml_fields.h"

namespace jk::config {

using launchspec::JailType;
using policy::Profile;

namespace {

constexpr std::string_view kCapPrefix = "CAP_";

Result<JailType> read_jail(const YAML::Node& node, const std::string& path) {
  JK_TRY(const std::string name, read_string(node, path));
  const auto jail = launchspec::parse_jail(name);
  if (!jail) return type_error(node, path, "one of nsjail, landjail, seccompjail");
  return *jail;
}

Status read_fallback(const YAML::Node& node, const std::string& path, std::vector<JailType>& out) {
  out.clear();
  return for_each_item(node, path, [&](const YAML::Node& item, const std::string& here) -> Status {
    JK_TRY(const JailType jail, read_jail(item, here));
    if (std::find(out.begin(), out.end(), jail) != out.end()) {
      return field_error(item, here, "duplicate fallback jail");
    }
    out.push_back(jail);
    return {};
  });
}

Status check_capability(const std::string& name, const YAML::Node& node, const std::string& path) {
  if (is_capability(name)) return {};
  if (name.rfind(kCapPrefix, 0) == 0 && is_capability(name.substr(kCapPrefix.size()))) {
    return field_error(node, path,
                       "write \"" + name.substr(kCapPrefix.size()) +
                           "\" without the CAP_ prefix (as Kubernetes does)");
  }
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  });
  if (is_capability(upper)) {
    return field_error(node, path, "capability names are upper case: write \"" + upper + "\"");
  }
  return field_error(node, path, "unknown capability \"" + name + "\"");
}

Status read_capabilities(const YAML::Node& node, const std::string& path,
                         std::vector<std::string>& out) {
  out.clear();
  const Status read =
      for_each_item(node, path, [&](const YAML::Node& item, const std::string& here) -> Status {
        JK_TRY(std::string name, read_name(item, here));
        JK_TRY_STATUS(check_capability(name, item, here));
        out.push_back(std::move(name));
        return {};
      });
  if (!read.ok()) return read;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return {};
}

bool lists_nsjail(const Profile& p) {
  return p.jail == JailType::kNsjail ||
         std::find(p.fallback.begin(), p.fallback.end(), JailType::kNsjail) != p.fallback.end();
}

// Rules that span fields, checked once the whole profile is read.
Status check_profile(const Profile& p, const YAML::Node& node, const std::string& path) {
  const std::string jail(launchspec::jail_name(p.jail));
  if (std::find(p.fallback.begin(), p.fallback.end(), p.jail) != p.fallback.end()) {
    return field_error(node, path + ".fallback", "may not contain the profile's own jail " + jail);
  }
  if (!p.user_namespace && !lists_nsjail(p)) {
    return field_error(node, path + ".userNamespace",
                       "false is only meaningful for nsjail (landjail and seccompjail create no "
                       "namespaces)");
  }
  if (!p.capabilities.empty() && !p.capabilities_allowed) {
    return field_error(node, path + ".capabilities",
                       "capabilitiesAllowed is false on these nodes (e.g. Fargate rejects added "
                       "capabilities): remove them");
  }
  return {};
}

Status read_lift(const YAML::Node& node, const std::string& path, policy::SeccompLift& out) {
  return read_choice(node, path,
                     {{"seccomp-unconfined", policy::SeccompLift::kUnconfined},
                      {"capability", policy::SeccompLift::kCapability}},
                     out);
}

// Keys given override `defaults` (the built-in profile of that kind of node).
Result<Profile> read_profile(const YAML::Node& node, const std::string& path,
                             const Profile& defaults) {
  Profile p = defaults;
  bool fallback_given = false;
  JK_TRY_STATUS(read_map(node, path,
                         {
                             {"jail",
                              [&](const YAML::Node& v, const std::string& h) -> Status {
                                JK_TRY(p.jail, read_jail(v, h));
                                return {};
                              }},
                             {"fallback",
                              [&](const YAML::Node& v, const std::string& h) {
                                fallback_given = true;
                                return read_fallback(v, h, p.fallback);
                              }},
                             {"userNamespace",
                              [&](const YAML::Node& v, const std::string& h) {
                                return read_into(v, h, p.user_namespace);
                              }},
                             {"capabilities",
                              [&](const YAML::Node& v, const std::string& h) {
                                return read_capabilities(v, h, p.capabilities);
                              }},
                             {"seccompUnconfined",
                              [&](const YAML::Node& v, const std::string& h) {
                                return read_into(v, h, p.seccomp_unconfined);
                              }},
                             {"runtimeDefaultGrant",
                              [&](const YAML::Node& v, const std::string& h) {
                                return read_lift(v, h, p.seccomp_lift);
                              }},
                             {"seccompDefault",
                              [&](const YAML::Node& v, const std::string& h) {
                                return read_into(v, h, p.seccomp_default);
                              }},
                             {"capabilitiesAllowed",
                              [&](const YAML::Node& v, const std::string& h) {
                                return read_into(v, h, p.capabilities_allowed);
                              }},
                         }));
  if (!fallback_given) {  // a new `jail` keeps the default order of the others
    p.fallback.erase(std::remove(p.fallback.begin(), p.fallback.end(), p.jail), p.fallback.end());
  }
  JK_TRY_STATUS(check_profile(p, node, path));
  return p;
}

// `lift_set`: told whether the profile names its runtimeDefaultGrant (which the bottlerocketGrant
// shorthand also sets).
FieldReader profile_field(Profile& out, bool* lift_set = nullptr) {
  return [&out, lift_set](const YAML::Node& v, const std::string& h) -> Status {
    JK_TRY(out, read_profile(v, h, out));
    if (lift_set != nullptr) *lift_set = v.IsMap() && v["runtimeDefaultGrant"].IsDefined();
    return {};
  };
}

}  // namespace

void apply_bottlerocket_grant(policy::BottlerocketGrant grant, Profile& profile) {
  profile.seccomp_lift = grant == policy::BottlerocketGrant::kSysAdmin
                             ? policy::SeccompLift::kCapability
                             : policy::SeccompLift::kUnconfined;
}

Result<policy::BottlerocketGrant> read_grant(const YAML::Node& node, const std::string& path) {
  auto grant = policy::BottlerocketGrant::kSeccompUnconfined;
  JK_TRY_STATUS(read_choice(node, path,
                            {{"seccomp-unconfined", policy::BottlerocketGrant::kSeccompUnconfined},
                             {"sys-admin", policy::BottlerocketGrant::kSysAdmin}},
                            grant));
  return grant;
}

Status read_profiles(const YAML::Node& node, const std::string& path, policy::Profiles& out,
                     bool& bottlerocket_set) {
  return read_map(node, path,
                  {
                      {"amazonLinux", profile_field(out.amazon_linux)},
                      {"bottlerocket", profile_field(out.bottlerocket, &bottlerocket_set)},
                      {"bottlerocketNoUserNamespace", profile_field(out.bottlerocket_no_userns)},
                      {"fargate", profile_field(out.fargate)},
                      {"other", profile_field(out.other)},
                      {"unknown", profile_field(out.unknown)},
                  });
}

}  // namespace jk::config
