#pragma once
// Builds the minimal JSON Patch that prepares a pod for its jail: per jailed container the
// securityContext grant, launcher mounts, JAILKEEPER_SPEC and the wrapped command; per pod the
// launcher init container, volumes and the two jailkeeper.io annotations. Adds only what is
// missing, so a patched pod yields no patch (idempotent, also under reinvocation).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "webhook/inject/json_pointer.h"
#include "webhook/inject/pod.h"
#include "webhook/policy/decide.h"
#include "webhook/policy/policy_config.h"

namespace jk::inject {

inline constexpr std::string_view kBinVolume = "jailkeeper-bin";
inline constexpr std::string_view kSpecVolume = "jailkeeper-spec";
inline constexpr std::string_view kRunVolume = "jailkeeper-run";  // writable, launchspec::kRunDir
inline constexpr std::string_view kInitContainer = "jailkeeper-init";
inline constexpr std::string_view kBinDir = "/jailkeeper/bin";
inline constexpr std::string_view kSpecDir = "/jailkeeper/spec";
inline constexpr std::string_view kStatusAnnotation = "jailkeeper.io/status";
inline constexpr std::string_view kLaunchSpecAnnotation = "jailkeeper.io/launch-spec";

struct JailedContainer {
  std::size_t index = 0;  // in spec.containers
  std::string name;
  // Command to wrap when the spec has none (from jailkeeper.io/entrypoint); nullopt: unknown.
  std::optional<std::vector<std::string>> entrypoint;
};

struct PatchRequest {
  std::vector<JailedContainer> containers;
  std::vector<policy::ContainerGrant> grants;  // one per container, same order
  const policy::LauncherOptions* launcher = nullptr;
  std::string launch_spec_json;
};

struct PatchResult {
  PatchOps ops;                      // without the status annotation
  std::vector<std::string> changes;  // one line per change, "agent: add capability NET_ADMIN"
  std::vector<std::string> warnings;
  std::vector<std::string> unwrapped;  // containers whose command could not be wrapped
  bool annotations_created = false;    // an op above creates /metadata/annotations
};

PatchResult build_patch(const Pod& pod, const PatchRequest& request);

// Adds or replaces the status annotation when `result` changes anything (or the annotation is
// missing); the status records the changes of every pass.
void add_status(const Pod& pod, nlohmann::ordered_json status, PatchResult& result);

}  // namespace jk::inject
