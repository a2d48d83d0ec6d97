#pragma once
// A Pod decoded once, into everything the injection reads of it: the facts the decision needs
// (pod_facts.h), each container's security shape and the pod's current form as the patch
// builder needs it (which arrays exist, the names they hold, the annotations). The one decoder
// that fills it is webhook/review/pod_decoder.h (Boost.JSON); this library reads no pod JSON.
//
// The pod's strings are views into the parsed JSON they were decoded from (decoding copies no
// name, annotation or label: issue 17). `storage` keeps that document alive when the pod owns
// it (decode_pod_json); a pod decoded from a caller's document (the review handler's arena)
// is valid while that document is. Nothing the injection returns refers into the pod.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/sorted_pairs.h"
#include "webhook/inject/pod_facts.h"
#include "webhook/policy/pod_shape.h"

namespace jk::inject {

// An array of named objects (containers, volumes, volumeMounts, env): whether the field is an
// array at all (if not, the patch creates it) and the string names its entries carry.
struct NamedList {
  bool exists = false;
  std::vector<std::string_view> names;
  [[nodiscard]] bool has(std::string_view name) const;
};

// What the patch builder reads of one entry of spec.containers.
struct ContainerForm {
  std::string_view name;
  bool security_context = false;  // securityContext is an object
  bool capabilities = false;      // securityContext.capabilities is an object
  // securityContext.capabilities.add when it is an array: its string entries, as written.
  std::optional<std::vector<std::string_view>> capabilities_add;
  bool seccomp_profile = false;     // securityContext.seccompProfile is set (not null)
  bool seccomp_unconfined = false;  // ... with type "Unconfined"
  NamedList volume_mounts;
  NamedList env;
  bool command = false;            // command is a non-empty array
  std::string_view command_first;  // its first entry when that is a string
};

struct Pod {
  std::shared_ptr<const void> storage;  // the document the views point into, when owned
  PodFacts facts;
  bool annotations_object = false;  // metadata.annotations is an object
  // metadata.annotations with a string value (a null value counts as absent), sorted by key,
  // each key once.
  SortedPairs annotations;
  // spec.containers, read when the injection first needs them (after the skip rules), so their
  // errors come in that order: not an array, an entry without a name.
  Result<std::vector<ContainerForm>> containers = std::vector<ContainerForm>{};
  // One shape per entry of spec.containers, or why it cannot be read.
  Result<std::vector<policy::ContainerShape>> shapes = std::vector<policy::ContainerShape>{};
  NamedList init_containers;  // spec.initContainers
  NamedList volumes;          // spec.volumes

  // The annotation's value; nullopt when absent (or null).
  [[nodiscard]] std::optional<std::string_view> annotation(std::string_view key) const;
};

}  // namespace jk::inject
