#include "webhook/review/container_shapes.h"

#include "webhook/review/json_read.h"

namespace jk::review {
namespace {

using boost::json::value;
using policy::SeccompKind;

// The fields both the pod's and a container's securityContext may set.
struct Common {
  std::optional<std::int64_t> run_as_user;
  std::optional<bool> run_as_non_root;
  SeccompKind seccomp = SeccompKind::kUnset;
};

Result<std::optional<std::int64_t>> user_id(const value& v, const JsonPath& path) {
  if (v.is_null()) return std::optional<std::int64_t>();
  if (v.is_uint64()) return make_error(path + ": must not be negative");  // > INT64_MAX
  if (!v.is_int64()) return make_error(path + ": expected an integer");
  const std::int64_t id = v.get_int64();
  if (id < 0) return make_error(path + ": must not be negative");
  return std::optional<std::int64_t>(id);
}

Result<std::optional<bool>> flag(const value& v, const JsonPath& path) {
  if (v.is_null()) return std::optional<bool>();
  if (!v.is_bool()) return make_error(path + ": expected true or false");
  return std::optional<bool>(v.get_bool());
}

Result<SeccompKind> seccomp(const value& profile, const JsonPath& path) {
  if (profile.is_null()) return SeccompKind::kUnset;
  if (!profile.is_object()) return make_error(path + ": expected an object");
  const value& type = json_at(profile, "type");
  if (!type.is_string()) return make_error(path + ".type: expected a string");
  const std::string_view t = text_of(type.get_string());
  if (t == "RuntimeDefault") return SeccompKind::kRuntimeDefault;
  if (t == "Unconfined") return SeccompKind::kUnconfined;
  if (t == "Localhost") return SeccompKind::kLocalhost;
  return make_error(path + ".type: unknown seccomp profile type \"" + std::string(t) + "\"");
}

Result<Common> common(const value& sc, const JsonPath& path) {
  Common c;
  if (sc.is_null()) return c;
  if (!sc.is_object()) return make_error(path + ": expected an object");
  JK_TRY(c.run_as_user, user_id(json_at(sc, "runAsUser"), path.field("runAsUser")));
  JK_TRY(c.run_as_non_root, flag(json_at(sc, "runAsNonRoot"), path.field("runAsNonRoot")));
  JK_TRY(c.seccomp, seccomp(json_at(sc, "seccompProfile"), path.field("seccompProfile")));
  return c;
}

Result<std::vector<std::string>> capability_list(const value& v, const JsonPath& path) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error(path + ": expected an array");
  const auto& array = v.get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string()) {
      return make_error(path.index(i) + ": expected a string");
    }
    out.push_back(policy::normalize_capability(text_of(array[i].get_string())));
  }
  return out;
}

Result<policy::ContainerShape> shape_of(const value& c, const Common& pod, const JsonPath& path) {
  if (!c.is_object()) return make_error(path + ": expected an object");
  policy::ContainerShape s;
  const value& name = json_at(c, "name");
  if (!name.is_null() && !name.is_string()) return make_error(path + ".name: expected a string");
  if (name.is_string()) s.name = std::string(text_of(name.get_string()));
  const JsonPath sc_path = path.field("securityContext");
  const value& sc = json_at(c, "securityContext");
  JK_TRY(const Common own, common(sc, sc_path));
  s.run_as_user = own.run_as_user ? own.run_as_user : pod.run_as_user;
  s.run_as_non_root = own.run_as_non_root.value_or(pod.run_as_non_root.value_or(false));
  s.seccomp = own.seccomp != SeccompKind::kUnset ? own.seccomp : pod.seccomp;
  JK_TRY(const auto privileged, flag(json_at(sc, "privileged"), sc_path.field("privileged")));
  s.privileged = privileged.value_or(false);
  JK_TRY(s.allow_privilege_escalation,
         flag(json_at(sc, "allowPrivilegeEscalation"), sc_path.field("allowPrivilegeEscalation")));
  const value& caps = json_at(sc, "capabilities");
  if (!caps.is_null() && !caps.is_object()) {
    return make_error(sc_path + ".capabilities: expected an object");
  }
  JK_TRY(s.add, capability_list(json_at(caps, "add"), sc_path.field("capabilities.add")));
  JK_TRY(s.drop, capability_list(json_at(caps, "drop"), sc_path.field("capabilities.drop")));
  return s;
}

}  // namespace

Result<std::vector<policy::ContainerShape>> decode_container_shapes(const value& pod) {
  const value& spec = json_at(pod, "spec");
  JK_TRY(const Common pod_level,
         common(json_at(spec, "securityContext"), JsonPath("spec.securityContext")));
  const value& containers = json_at(spec, "containers");
  std::vector<policy::ContainerShape> out;
  if (containers.is_null()) return out;
  if (!containers.is_array()) return make_error("spec.containers: expected an array");
  const auto& array = containers.get_array();
  const JsonPath path("spec.containers");
  for (std::size_t i = 0; i < array.size(); ++i) {
    JK_TRY(auto shape, shape_of(array[i], pod_level, path.index(i)));
    out.push_back(std::move(shape));
  }
  return out;
}

}  // namespace jk::review
