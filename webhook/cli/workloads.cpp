#include "webhook/cli/workloads.h"

#include <array>
#include <utility>

namespace jk::cli {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kListSuffix = "List";

struct TemplateLocation {
  std::string_view kind;
  std::string_view path;
};

// kubectl's own list of pod-template holders (`kubectl set image` etc.), plus PodTemplate.
constexpr std::array<TemplateLocation, 9> kTemplateLocations = {{
    {"Pod", ""},
    {"Deployment", "/spec/template"},
    {"StatefulSet", "/spec/template"},
    {"DaemonSet", "/spec/template"},
    {"ReplicaSet", "/spec/template"},
    {"ReplicationController", "/spec/template"},
    {"Job", "/spec/template"},
    {"CronJob", "/spec/jobTemplate/spec/template"},
    {"PodTemplate", "/template"},
}};

// Manifests are untrusted: every read checks the type (`{"kind": 5}` is not a kind).
std::string string_member(const ordered_json& object, std::string_view key) {
  if (!object.is_object()) return "";
  const auto v = object.find(key);
  return v != object.end() && v->is_string() ? v->get<std::string>() : "";
}

std::string string_at(const ordered_json& object, std::string_view section, std::string_view key) {
  const auto s = object.find(section);
  return s == object.end() ? "" : string_member(*s, key);
}

// object[key] when present, else an empty object (also when `object` is not an object).
ordered_json member_or_empty(const ordered_json& object, std::string_view key) {
  if (!object.is_object()) return ordered_json::object();
  const auto v = object.find(key);
  return v == object.end() ? ordered_json::object() : *v;
}

// Why an object has no usable kind: absent, or not a string.
std::string missing_kind(const ordered_json& object) {
  const auto kind = object.find("kind");
  if (kind == object.end() || kind->is_null()) return "object has no kind";
  return std::string("kind is not a string but ") + kind->type_name();
}

bool is_list(const ordered_json& object, std::string_view kind) {
  const auto items = object.find("items");
  return kind.ends_with(kListSuffix) && items != object.end() && items->is_array();
}

WorkloadRef describe_object(const ordered_json& object, const JsonPointer& where) {
  WorkloadRef ref;
  ref.object = where;
  if (!object.is_object()) {
    ref.skip_reason = "not a Kubernetes object";
    return ref;
  }
  ref.kind = string_member(object, "kind");
  ref.name = string_at(object, "metadata", "name");
  if (ref.name.empty()) ref.name = string_at(object, "metadata", "generateName");
  ref.namespace_name = string_at(object, "metadata", "namespace");
  const auto path = pod_template_path(ref.kind);
  if (ref.kind.empty()) {
    ref.skip_reason = missing_kind(object);
  } else if (!path) {
    ref.skip_reason = "kind " + ref.kind + " has no pod template";
  } else if (const JsonPointer relative{std::string(*path)};
             !object.contains(relative) || !object.at(relative).is_object()) {
    ref.skip_reason = ref.kind + " has no " + std::string(path->substr(1)) + " object";
  } else {
    ref.pod_template = where / relative;
  }
  return ref;
}

void collect(const ordered_json& object, const JsonPointer& where, std::vector<WorkloadRef>& out) {
  const std::string kind = string_member(object, "kind");
  if (!object.is_object() || !is_list(object, kind)) {
    out.push_back(describe_object(object, where));
    return;
  }
  const ordered_json& items = object.at("items");
  for (std::size_t i = 0; i < items.size(); ++i) {
    collect(items[i], where / "items" / i, out);
  }
}

// Replaces `key` of `target` with `value`, or drops it when it was absent and `value` is empty:
// extract_pod adds an empty metadata/spec that should not appear in the output.
void put_back(ordered_json& target, std::string_view key, const ordered_json& value) {
  if (!target.contains(key) && value.is_object() && value.empty()) return;
  target[std::string(key)] = value;
}

}  // namespace

std::optional<std::string_view> pod_template_path(std::string_view kind) {
  for (const auto& location : kTemplateLocations) {
    if (location.kind == kind) return location.path;
  }
  return std::nullopt;
}

std::vector<WorkloadRef> find_workloads(const nlohmann::ordered_json& document) {
  std::vector<WorkloadRef> out;
  collect(document, JsonPointer{}, out);
  return out;
}

std::string display_name(const WorkloadRef& ref) {
  const std::string kind = ref.kind.empty() ? "<no kind>" : ref.kind;
  return kind + "/" + (ref.name.empty() ? "<unnamed>" : ref.name);
}

nlohmann::ordered_json extract_pod(const nlohmann::ordered_json& document, const WorkloadRef& ref,
                                   std::string_view namespace_name) {
  const ordered_json& holder = document.at(*ref.pod_template);
  ordered_json metadata = member_or_empty(holder, "metadata");
  if (!metadata.is_object()) metadata = ordered_json::object();
  metadata["namespace"] = std::string(namespace_name);
  return ordered_json{{"apiVersion", "v1"},
                      {"kind", "Pod"},
                      {"metadata", std::move(metadata)},
                      {"spec", member_or_empty(holder, "spec")}};
}

void write_back_pod(nlohmann::ordered_json& document, const WorkloadRef& ref,
                    const nlohmann::ordered_json& pod) {
  ordered_json& holder = document.at(*ref.pod_template);
  ordered_json metadata = member_or_empty(pod, "metadata");
  if (metadata.is_object()) {  // else not what extract_pod made: keep the template's own
    const auto original = holder.find("metadata");
    if (original != holder.end() && original->is_object() && original->contains("namespace")) {
      metadata["namespace"] = original->at("namespace");
    } else {
      metadata.erase("namespace");
    }
    put_back(holder, "metadata", metadata);
  }
  put_back(holder, "spec", member_or_empty(pod, "spec"));
}

Result<nlohmann::ordered_json> apply_json_patch(const nlohmann::ordered_json& target,
                                                const nlohmann::json& patch) {
  try {
    return target.patch(ordered_json(patch));
  } catch (const nlohmann::json::exception& e) {
    return make_error(std::string("applying JSON patch: ") + e.what());
  }
}

}  // namespace jk::cli
