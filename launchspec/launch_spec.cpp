#include "launchspec/launch_spec.h"

#include <nlohmann/json.hpp>

#include "common/json_writer.h"
#include "launchspec/address_prefix.h"

namespace jk::launchspec {

std::string_view jail_name(JailType jail) {
  switch (jail) {
    case JailType::kNsjail:
      return "nsjail";
    case JailType::kLandjail:
      return "landjail";
    case JailType::kSeccompjail:
      return "seccompjail";
  }
  return "nsjail";
}

std::optional<JailType> parse_jail(std::string_view name) {
  if (name == "nsjail") return JailType::kNsjail;
  if (name == "landjail") return JailType::kLandjail;
  if (name == "seccompjail") return JailType::kSeccompjail;
  return std::nullopt;
}

// Written directly (common/json_writer.h): it is built once per admitted pod, on the webhook's
// hot path. Members in this order, compact.
std::string to_json(const LaunchSpec& spec) {
  std::string out;
  append_json(spec, out);
  return out;
}

void append_json(const LaunchSpec& spec, std::string& out) {
  JsonWriter w(out);
  w.begin_object().key("version").number(spec.version);
  w.key("jail").string(jail_name(spec.jail));
  if (!spec.fallback.empty()) {
    w.key("fallback").begin_array();
    for (const JailType t : spec.fallback) w.string(jail_name(t));
    w.end_array();
  }
  w.key("userNamespace").boolean(spec.user_namespace);
  w.key("allow").strings(spec.allow);
  if (spec.proxy_port != 0) w.key("proxyPort").number(spec.proxy_port);
  if (!spec.policy.empty()) w.key("policy").string(spec.policy);
  if (!spec.allow_internal.empty()) w.key("allowInternal").strings(spec.allow_internal);
  w.end_object();
}

namespace {

Result<JailType> jail_field(const nlohmann::json& v, const std::string& path) {
  if (!v.is_string()) return make_error(path + ": expected a string");
  const auto t = parse_jail(v.get_ref<const std::string&>());
  if (!t) {
    return make_error(path + ": unknown jail \"" + v.get<std::string>() +
                      "\" (expected nsjail, landjail or seccompjail)");
  }
  return *t;
}

Result<LaunchSpec> decode(const nlohmann::json& j) {
  if (!j.is_object()) return make_error("launch spec: expected a JSON object");
  LaunchSpec spec;
  for (const auto& [key, v] : j.items()) {
    if (key == "version") {
      if (!v.is_number_integer() || v.get<long long>() != kVersion) {
        return make_error("version: unsupported launch spec version " + v.dump() +
                          " (this launcher reads version " + std::to_string(kVersion) + ")");
      }
    } else if (key == "jail") {
      JK_TRY(spec.jail, jail_field(v, "jail"));
    } else if (key == "fallback") {
      if (!v.is_array()) return make_error("fallback: expected an array");
      for (std::size_t i = 0; i < v.size(); ++i) {
        JK_TRY(const JailType t, jail_field(v[i], "fallback[" + std::to_string(i) + "]"));
        spec.fallback.push_back(t);
      }
    } else if (key == "userNamespace") {
      if (!v.is_boolean()) return make_error("userNamespace: expected true or false");
      spec.user_namespace = v.get<bool>();
    } else if (key == "allow") {
      if (!v.is_array()) return make_error("allow: expected an array of rule strings");
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string())
          return make_error("allow[" + std::to_string(i) + "]: expected a string");
        spec.allow.push_back(v[i].get<std::string>());
      }
    } else if (key == "proxyPort") {
      if (!v.is_number_unsigned() || v.get<std::uint64_t>() == 0 ||
          v.get<std::uint64_t>() > 65535) {
        return make_error("proxyPort: expected a port number 1-65535");
      }
      spec.proxy_port = static_cast<std::uint16_t>(v.get<std::uint64_t>());
    } else if (key == "allowInternal") {
      if (!v.is_array()) return make_error("allowInternal: expected an array of address prefixes");
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string path = "allowInternal[" + std::to_string(i) + "]";
        if (!v[i].is_string()) return make_error(path + ": expected a string");
        const auto prefix = parse_prefix(v[i].get<std::string>());
        if (!prefix.ok()) return make_error(path + ": " + prefix.error().message);
        spec.allow_internal.push_back(v[i].get<std::string>());
      }
    } else if (key == "policy") {
      if (!v.is_string()) return make_error("policy: expected a string");
      spec.policy = v.get<std::string>();
    } else {
      return make_error("launch spec: unknown key \"" + key + "\"");
    }
  }
  return spec;
}

}  // namespace

Result<LaunchSpec> from_json(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error("launch spec: not valid JSON");
  return decode(j);
}

}  // namespace jk::launchspec
