#include "webhook/audit/pod_view.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/json_util.h"
#include "launchspec/launch_spec.h"
#include "webhook/inject/patch_builder.h"
#include "webhook/review/pod_decoder.h"

namespace jk::audit {
namespace {

using nlohmann::json;

constexpr std::string_view kMirrorAnnotation = "kubernetes.io/config.mirror";
constexpr std::string_view kInjectLabel = "jailkeeper.io/inject";
constexpr std::string_view kOptOutValue = "disabled";

std::string string_of(const json& v) { return v.is_string() ? v.get<std::string>() : ""; }

std::vector<std::string> strings_of(const json& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const auto& e : v) out.push_back(string_of(e));
  return out;
}

bool has_named(const json& list, std::string_view name) {
  return list.is_array() && std::any_of(list.begin(), list.end(), [&](const json& e) {
           return string_of(json_at(e, "name")) == name;
         });
}

std::string seccomp_type(const json& security_context) {
  return string_of(json_at(json_at(security_context, "seccompProfile"), "type"));
}

ContainerView container_of(const json& c) {
  ContainerView v;
  v.name = string_of(json_at(c, "name"));
  v.command = strings_of(json_at(c, "command"));
  const json& sc = json_at(c, "securityContext");
  v.capabilities_added = strings_of(json_at(json_at(sc, "capabilities"), "add"));
  v.seccomp_type = seccomp_type(sc);
  v.has_spec_env = has_named(json_at(c, "env"), launchspec::kSpecEnv);
  return v;
}

std::vector<ContainerView> containers_of(const json& list) {
  std::vector<ContainerView> out;
  if (!list.is_array()) return out;
  for (const auto& c : list) out.push_back(container_of(c));
  return out;
}

}  // namespace

PodView decode_pod(const json& pod) {
  PodView v;
  const json& meta = json_at(pod, "metadata");
  const json& spec = json_at(pod, "spec");
  v.namespace_name = string_of(json_at(meta, "namespace"));
  v.name = string_of(json_at(meta, "name"));
  v.node_name = string_of(json_at(spec, "nodeName"));
  const json& host_network = json_at(spec, "hostNetwork");
  v.host_network = host_network.is_boolean() && host_network.get<bool>();
  const json& annotations = json_at(meta, "annotations");
  v.mirror = json_at(annotations, kMirrorAnnotation).is_string();
  v.opted_out = string_of(json_at(json_at(meta, "labels"), kInjectLabel)) == kOptOutValue;
  const json& status = json_at(annotations, inject::kStatusAnnotation);
  if (status.is_string()) v.status = status.get<std::string>();
  v.pod_seccomp_type = seccomp_type(json_at(spec, "securityContext"));
  v.containers = containers_of(json_at(spec, "containers"));
  v.init_containers = containers_of(json_at(spec, "initContainers"));
  // The shapes through the one pod decoder, from the pod's text (the reflector hands us a DOM).
  auto shapes = review::decode_container_shapes_json(
      pod.dump(-1, ' ', false, json::error_handler_t::replace));
  if (shapes.ok()) {
    v.shapes = std::move(shapes).value();
  } else {
    v.shapes_error = shapes.error().message;
  }
  return v;
}

std::string effective_seccomp(const PodView& pod, const ContainerView& container) {
  return container.seccomp_type.empty() ? pod.pod_seccomp_type : container.seccomp_type;
}

}  // namespace jk::audit
