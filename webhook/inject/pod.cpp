#include "webhook/inject/pod.h"

#include <algorithm>

#include "common/json_util.h"
#include "webhook/inject/container_shapes.h"

namespace jk::inject {
namespace {

using nlohmann::json;

NamedList named_list(const json& array) {
  NamedList list;
  list.exists = array.is_array();
  if (!list.exists) return list;
  for (const json& e : array) {
    const json& n = json_at(e, "name");
    if (n.is_string()) list.names.push_back(n.get<std::string>());
  }
  return list;
}

ContainerForm container_form(const json& c, std::string name) {
  ContainerForm f;
  f.name = std::move(name);
  const json& sc = json_at(c, "securityContext");
  f.security_context = sc.is_object();
  const json& caps = json_at(sc, "capabilities");
  f.capabilities = caps.is_object();
  const json& add = json_at(caps, "add");
  if (add.is_array()) {
    f.capabilities_add.emplace();
    for (const json& cap : add) {
      if (cap.is_string()) f.capabilities_add->push_back(cap.get<std::string>());
    }
  }
  const json& profile = json_at(sc, "seccompProfile");
  f.seccomp_profile = !profile.is_null();
  const json& type = json_at(profile, "type");
  f.seccomp_unconfined = type.is_string() && type == "Unconfined";
  f.volume_mounts = named_list(json_at(c, "volumeMounts"));
  f.env = named_list(json_at(c, "env"));
  const json& cmd = json_at(c, "command");
  f.command = cmd.is_array() && !cmd.empty();
  if (f.command && cmd[0].is_string()) f.command_first = cmd[0].get<std::string>();
  return f;
}

Result<std::vector<ContainerForm>> container_forms(const json& containers) {
  if (!containers.is_array()) return make_error("spec.containers: expected an array");
  std::vector<ContainerForm> out;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const json& name = json_at(containers[i], "name");
    if (!name.is_string()) {
      return make_error("spec.containers[" + std::to_string(i) + "].name: missing");
    }
    out.push_back(container_form(containers[i], name.get<std::string>()));
  }
  return out;
}

}  // namespace

bool NamedList::has(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string_view> Pod::annotation(std::string_view key) const {
  const auto it = annotations.find(key);
  if (it == annotations.end()) return std::nullopt;
  return std::string_view(it->second);
}

Result<Pod> decode_pod(const json& pod) {
  JK_TRY(PodFacts facts, decode_pod_facts(pod));
  Pod p;
  p.facts = std::move(facts);
  const json& annotations = json_at(json_at(pod, "metadata"), "annotations");
  p.annotations_object = annotations.is_object();
  if (p.annotations_object) {
    for (const auto& [key, value] : annotations.items()) {
      if (value.is_string()) p.annotations.emplace(key, value.get<std::string>());
    }
  }
  const json& spec = json_at(pod, "spec");
  p.containers = container_forms(json_at(spec, "containers"));
  p.shapes = decode_container_shapes(pod);
  p.init_containers = named_list(json_at(spec, "initContainers"));
  p.volumes = named_list(json_at(spec, "volumes"));
  return p;
}

}  // namespace jk::inject
