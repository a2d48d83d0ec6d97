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

std::string string_at(const ordered_json& object, std::string_view section, std::string_view key) {
  const auto s = object.find(section);
  if (s == object.end() || !s->is_object()) return "";
  const auto v = s->find(key);
  return v != s->end() && v->is_string() ? v->get<std::string>() : "";
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
  ref.kind = object.value("kind", std::string{});
  ref.name = string_at(object, "metadata", "name");
  if (ref.name.empty()) ref.name = string_at(object, "metadata", "generateName");
  ref.namespace_name = string_at(object, "metadata", "namespace");
  const auto path = pod_template_path(ref.kind);
  if (ref.kind.empty()) {
    ref.skip_reason = "object has no kind";
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
  const std::string kind = object.is_object() ? object.value("kind", std::string{}) : "";
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
  ordered_json metadata = holder.value("metadata", ordered_json::object());
  if (!metadata.is_object()) metadata = ordered_json::object();
  metadata["namespace"] = std::string(namespace_name);
  return ordered_json{{"apiVersion", "v1"},
                      {"kind", "Pod"},
                      {"metadata", std::move(metadata)},
                      {"spec", holder.value("spec", ordered_json::object())}};
}

void write_back_pod(nlohmann::ordered_json& document, const WorkloadRef& ref,
                    const nlohmann::ordered_json& pod) {
  ordered_json& holder = document.at(*ref.pod_template);
  ordered_json metadata = pod.value("metadata", ordered_json::object());
  const auto original = holder.find("metadata");
  if (original != holder.end() && original->is_object() && original->contains("namespace")) {
    metadata["namespace"] = original->at("namespace");
  } else if (metadata.is_object()) {
    metadata.erase("namespace");
  }
  put_back(holder, "metadata", metadata);
  put_back(holder, "spec", pod.value("spec", ordered_json::object()));
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
