#pragma once
// The facts of a live Pod that audit compares with its jailkeeper.io/status record. Decoding is
// tolerant: a field of the wrong type reads as absent (the comparison then reports it), because
// one odd pod must not stop the audit of the others.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "webhook/policy/pod_shape.h"

namespace jk::audit {

struct ContainerView {
  std::string name;
  std::vector<std::string> command;
  std::vector<std::string> capabilities_added;  // securityContext.capabilities.add
  std::string seccomp_type;                     // securityContext.seccompProfile.type or ""
  bool has_spec_env = false;                    // env JAILKEEPER_SPEC is set
};

struct PodView {
  std::string namespace_name;
  std::string name;
  std::string node_name;  // spec.nodeName; empty while pending
  bool host_network = false;
  bool mirror = false;                // annotation kubernetes.io/config.mirror
  bool opted_out = false;             // label jailkeeper.io/inject=disabled
  std::optional<std::string> status;  // annotation jailkeeper.io/status, verbatim
  std::string pod_seccomp_type;       // spec.securityContext.seccompProfile.type or ""
  std::vector<ContainerView> containers;
  std::vector<ContainerView> init_containers;
  // The security shape of each regular container (same order), or why it cannot be read.
  std::vector<policy::ContainerShape> shapes;
  std::string shapes_error;
};

PodView decode_pod(const nlohmann::json& pod);

// The seccomp profile type that applies to the container: its own, else the pod's, else "".
std::string effective_seccomp(const PodView& pod, const ContainerView& container);

}  // namespace jk::audit
