#pragma once
// Pods and nodes for the audit tests: a patched pod as the webhook leaves it (from the golden
// fixtures) and nodes as the live inventory decodes them (from tests/fixtures/nodes).
#include <string>

#include <nlohmann/json.hpp>

#include "webhook/audit/pod_view.h"
#include "webhook/policy/node.h"

namespace jk::audit::testing {

// tests/fixtures/golden/<name>/expected-pod.json, with metadata.name set to "agent-1".
nlohmann::json golden_pod(const std::string& name);
// tests/fixtures/nodes/<file>, decoded by the real node decoder.
policy::Node fixture_node(const std::string& file);
// Replaces (or adds) the pod's jailkeeper.io/status with `status` (a JSON object).
void set_status(nlohmann::json& pod, const nlohmann::json& status);
nlohmann::json status_of(const nlohmann::json& pod);

}  // namespace jk::audit::testing
