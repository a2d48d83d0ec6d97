#include "webhook/audit/status_record.h"

#include <nlohmann/json.hpp>

#include "common/json_util.h"
#include "launchspec/launch_spec.h"

namespace jk::audit {
namespace {

using nlohmann::json;

Result<std::vector<std::string>> strings(const json& v, const char* field, bool required) {
  std::vector<std::string> out;
  if (v.is_null() && !required) return out;
  if (!v.is_array()) return make_error(std::string(field) + ": expected an array of strings");
  for (const auto& e : v) {
    if (!e.is_string()) return make_error(std::string(field) + ": expected an array of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<std::string> string_field(const json& obj, const char* field) {
  const json& v = json_at(obj, field);
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
    return make_error(std::string(field) + ": expected a non-empty string");
  }
  return v.get<std::string>();
}

Result<bool> bool_field(const json& obj, const char* field, bool fallback) {
  const json& v = json_at(obj, field);
  if (v.is_null()) return fallback;
  if (!v.is_boolean()) return make_error(std::string(field) + ": expected true or false");
  return v.get<bool>();
}

Result<std::vector<std::string>> jails(const json& v) {
  JK_TRY(auto names, strings(v, "fallback", false));
  for (const auto& name : names) {
    if (!launchspec::parse_jail(name)) return make_error("fallback: unknown jail \"" + name + "\"");
  }
  return names;
}

Result<std::vector<RecordedGrant>> grants(const json& v) {
  std::vector<RecordedGrant> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error("grants: expected an array");
  for (const auto& g : v) {
    if (!g.is_object()) return make_error("grants: expected objects");
    RecordedGrant r;
    JK_TRY(r.container, string_field(g, "container"));
    JK_TRY(r.add, strings(json_at(g, "add"), "grants[].add", true));
    JK_TRY(r.seccomp_unconfined, bool_field(g, "seccompUnconfined", false));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<StatusRecord> decode_status(std::string_view text) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return make_error("not a JSON object");
  const json& version = json_at(j, "version");
  if (!version.is_number_integer() || version.get<int>() != kStatusVersion) {
    return make_error("version: expected " + std::to_string(kStatusVersion));
  }
  StatusRecord r;
  JK_TRY(r.node_os, string_field(j, "nodeOS"));
  JK_TRY(r.candidate_os, strings(json_at(j, "candidateOS"), "candidateOS", false));
  JK_TRY(r.jail, string_field(j, "jail"));
  if (!launchspec::parse_jail(r.jail)) return make_error("jail: unknown jail \"" + r.jail + "\"");
  JK_TRY(r.fallback, jails(json_at(j, "fallback")));
  JK_TRY(r.user_namespace, bool_field(j, "userNamespace", true));
  JK_TRY(r.capabilities, strings(json_at(j, "capabilities"), "capabilities", false));
  JK_TRY(r.seccomp_unconfined, bool_field(j, "seccompUnconfined", false));
  JK_TRY(r.grants, grants(json_at(j, "grants")));
  JK_TRY(r.containers, strings(json_at(j, "containers"), "containers", true));
  JK_TRY(r.unwrapped, strings(json_at(j, "unwrapped"), "unwrapped", false));
  return r;
}

}  // namespace jk::audit
