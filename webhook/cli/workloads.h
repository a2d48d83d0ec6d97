#pragma once
// Where a manifest keeps its pods: a Pod itself, the pod template of a workload controller, or
// the items of a List. `inject` lifts each template out as the Pod the webhook would see, lets
// inject::mutate patch it, and writes metadata + spec back in place. Pure; no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace jk::cli {

using JsonPointer = nlohmann::ordered_json::json_pointer;

inline constexpr std::string_view kDefaultNamespace = "default";

// One Kubernetes object found in a document (the document itself, or an item of a List).
struct WorkloadRef {
  std::string kind;            // "" when the document is not an object or has no kind
  std::string name;            // metadata.name, else generateName, else ""
  std::string namespace_name;  // metadata.namespace as written; "" when absent
  JsonPointer object;          // the object inside its document ("" = the document)
  // The object holding the pod's metadata + spec: the object itself for a Pod, its template for
  // a controller. nullopt when there is no pod (see skip_reason).
  std::optional<JsonPointer> pod_template;
  std::string skip_reason;  // why pod_template is nullopt, e.g. "kind Service has no pod template"
};

// Where `kind` keeps its pod template, relative to the object: "" for Pod, "/spec/template",
// "/spec/jobTemplate/spec/template" (CronJob), "/template" (PodTemplate); nullopt otherwise.
std::optional<std::string_view> pod_template_path(std::string_view kind);

// Every object of a document, in document order; List (or *List) items are expanded, nested
// Lists recursively.
std::vector<WorkloadRef> find_workloads(const nlohmann::ordered_json& document);

// "Deployment/agent", "Pod/<unnamed>".
std::string display_name(const WorkloadRef& ref);

// The Pod the webhook would be asked to admit for this template:
// {"apiVersion":"v1","kind":"Pod","metadata": {...template metadata, namespace},"spec": {...}}.
// Requires ref.pod_template.
nlohmann::ordered_json extract_pod(const nlohmann::ordered_json& document, const WorkloadRef& ref,
                                   std::string_view namespace_name);

// Copies the (mutated) pod's metadata and spec back into the template, keeping the template's
// own key order and leaving out the namespace extract_pod added. Requires ref.pod_template.
void write_back_pod(nlohmann::ordered_json& document, const WorkloadRef& ref,
                    const nlohmann::ordered_json& pod);

// Applies an RFC 6902 patch (as the API server would); errors say which operation failed.
Result<nlohmann::ordered_json> apply_json_patch(const nlohmann::ordered_json& target,
                                                const nlohmann::json& patch);

}  // namespace jk::cli
