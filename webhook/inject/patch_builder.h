#pragma once
// Builds the minimal JSON Patch that prepares a pod for its jail: per jailed container the
// securityContext grant, launcher mounts, JAILKEEPER_SPEC and the wrapped command; per pod the
// launcher init container, volumes and the two jailkeeper.io annotations. Adds only what is
// missing, so a patched pod yields no patch (idempotent, also under reinvocation).
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

// Views of the caller's values, which outlive build_patch.
struct PatchRequest {
  std::span<const JailedContainer> containers;
  std::span<const policy::ContainerGrant> grants;  // one per container, same order
  const policy::LauncherOptions* launcher = nullptr;
  std::string_view launch_spec_json;
};

struct PatchResult {
  PatchOps ops;                      // without the status annotation
  std::vector<std::string> changes;  // one line per change, "agent: add capability NET_ADMIN"
  std::vector<std::string> warnings;
  std::vector<std::string> unwrapped;  // containers whose command could not be wrapped
  bool annotations_created = false;    // an op above creates /metadata/annotations
};

PatchResult build_patch(const Pod& pod, const PatchRequest& request);

// The changes earlier passes recorded in the pod's status annotation (reinvocation), which the
// new record lists before this pass's (status_record); nullopt when the record stays as it is
// (`result` changes nothing and the annotation is there).
std::optional<std::vector<std::string>> earlier_changes(const Pod& pod, const PatchResult& result);
// Adds or replaces the status annotation with `record` (status.h writes it).
void set_status(const Pod& pod, std::string_view record, PatchResult& result);

}  // namespace jk::inject
