#include "webhook/review/pod_decoder.h"

#include "common/sorted_pairs.h"
#include "webhook/review/container_shapes.h"
#include "webhook/review/json_arena.h"
#include "webhook/review/json_read.h"
#include "webhook/review/pod_facts.h"

namespace jk::review {
namespace {

using boost::json::value;
using inject::ContainerForm;
using inject::NamedList;

NamedList named_list(const value& v) {
  NamedList list;
  const boost::json::array* array = v.if_array();
  list.exists = array != nullptr;
  if (!list.exists) return list;
  list.names.reserve(array->size());
  for (const value& e : *array) {
    const value& n = json_at(e, "name");
    if (n.is_string()) list.names.emplace_back(text_of(n.get_string()));
  }
  return list;
}

ContainerForm container_form(const value& c, std::string_view name) {
  ContainerForm f;
  f.name = name;
  const value& sc = json_at(c, "securityContext");
  f.security_context = sc.is_object();
  const value& caps = json_at(sc, "capabilities");
  f.capabilities = caps.is_object();
  if (const boost::json::array* add = json_at(caps, "add").if_array()) {
    f.capabilities_add.emplace();
    for (const value& cap : *add) {
      if (cap.is_string()) f.capabilities_add->emplace_back(text_of(cap.get_string()));
    }
  }
  const value& profile = json_at(sc, "seccompProfile");
  f.seccomp_profile = !profile.is_null();
  f.seccomp_unconfined = string_or_empty(json_at(profile, "type")) == "Unconfined" &&
                         json_at(profile, "type").is_string();
  f.volume_mounts = named_list(json_at(c, "volumeMounts"));
  f.env = named_list(json_at(c, "env"));
  const boost::json::array* cmd = json_at(c, "command").if_array();
  f.command = cmd != nullptr && !cmd->empty();
  if (f.command && (*cmd)[0].is_string()) f.command_first = text_of((*cmd)[0].get_string());
  return f;
}

Result<std::vector<ContainerForm>> container_forms(const value& containers) {
  const boost::json::array* array = containers.if_array();
  if (array == nullptr) return make_error("spec.containers: expected an array");
  std::vector<ContainerForm> out;
  out.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const value& name = json_at((*array)[i], "name");
    if (!name.is_string()) {
      return make_error("spec.containers[" + std::to_string(i) + "].name: missing");
    }
    out.push_back(container_form((*array)[i], text_of(name.get_string())));
  }
  return out;
}

SkipList pod_skips() {
  SkipList skip;
  skip.paths[0].keys = {"metadata", "managedFields"};
  skip.paths[0].size = 2;
  skip.size = 1;
  return skip;
}

}  // namespace

Result<inject::Pod> decode_pod(const value& pod) {
  JK_TRY(inject::PodFacts facts, decode_pod_facts(pod));
  inject::Pod p;
  p.facts = std::move(facts);
  const value& annotations = json_at(json_at(pod, "metadata"), "annotations");
  p.annotations_object = annotations.is_object();
  if (p.annotations_object) {
    const boost::json::object& object = annotations.get_object();
    p.annotations.reserve(object.size());
    for (const auto& member : object) {
      if (member.value().is_string()) {
        p.annotations.emplace_back(std::string_view(member.key()),
                                   text_of(member.value().get_string()));
      }
    }
    sort_keep_last(p.annotations);
  }
  const value& spec = json_at(pod, "spec");
  p.containers = container_forms(json_at(spec, "containers"));
  p.shapes = decode_container_shapes(pod);
  p.init_containers = named_list(json_at(spec, "initContainers"));
  p.volumes = named_list(json_at(spec, "volumes"));
  return p;
}

Result<inject::Pod> decode_pod_json(std::string_view text) {
  // The pod's views point into the arena's values (which copy what they hold out of `text`):
  // the pod keeps the arena. Its first buffer is small: one pod, not a stream of reviews.
  constexpr std::size_t kOnePodBytes = 4096;
  auto arena = std::make_shared<JsonArena>(kOnePodBytes);
  JK_TRY(const value* pod, arena->parse(text, pod_skips()));
  JK_TRY(inject::Pod p, decode_pod(*pod));
  p.storage = std::move(arena);
  return p;
}

Result<std::vector<policy::ContainerShape>> decode_container_shapes_json(std::string_view text) {
  JsonArena arena;
  JK_TRY(const value* pod, arena.parse(text, pod_skips()));
  return decode_container_shapes(*pod);
}

}  // namespace jk::review
