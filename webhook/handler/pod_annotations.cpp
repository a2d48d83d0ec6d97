#include "webhook/handler/pod_annotations.h"

#include <algorithm>

#include "common/strings.h"
#include "common/json_util.h"

namespace jk::handler {
namespace {

using nlohmann::json;

Result<std::string> annotation(const json& pod, std::string_view key) {
  const json& v = json_at(json_at(json_at(pod, "metadata"), "annotations"), key);
  if (v.is_null()) return std::string();
  if (!v.is_string()) return make_error(std::string(key) + ": expected a string");
  return v.get<std::string>();
}

Result<std::vector<std::string>> string_array(const json& v, const std::string& what) {
  if (!v.is_array() || v.empty()) return make_error(what + ": expected a non-empty JSON array of strings");
  std::vector<std::string> out;
  for (const auto& e : v) {
    if (!e.is_string()) return make_error(what + ": expected a non-empty JSON array of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

// jailkeeper.io/entrypoint: a JSON array for every jailed container without a command, or an
// object {"container": [...]} per container.
Status apply_entrypoints(const std::string& text, std::vector<patch::JailedContainer>& containers) {
  if (text.empty()) return {};
  const std::string what(kEntrypointAnnotation);
  const json v = json::parse(text, nullptr, false);
  if (v.is_discarded()) return make_error(what + ": not valid JSON (expected [\"/bin/agent\", \"arg\"])");
  if (v.is_array()) {
    JK_TRY(const auto argv, string_array(v, what));
    for (auto& c : containers) c.entrypoint = argv;
    return {};
  }
  if (!v.is_object()) return make_error(what + ": expected a JSON array or an object of arrays");
  for (const auto& item : v.items()) {
    const std::string& name = item.key();
    const json& argv_json = item.value();
    auto it = std::find_if(containers.begin(), containers.end(),
                           [&](const auto& c) { return c.name == name; });
    if (it == containers.end()) return make_error(what + ": no jailed container named " + name);
    JK_TRY(it->entrypoint, string_array(argv_json, what + "." + name));
  }
  return {};
}

Result<std::vector<patch::JailedContainer>> select_containers(const json& pod, const std::string& list) {
  const json& containers = json_at(json_at(pod, "spec"), "containers");
  if (!containers.is_array()) return make_error("spec.containers: expected an array");
  std::vector<patch::JailedContainer> all;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const json& name = json_at(containers[i], "name");
    if (!name.is_string()) return make_error("spec.containers[" + std::to_string(i) + "].name: missing");
    all.push_back({i, name.get<std::string>(), std::nullopt});
  }
  if (list.empty()) return all;
  std::vector<patch::JailedContainer> chosen;
  for (const auto part : split(list, ',')) {
    const std::string name(trim(part));
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.name == name; });
    if (it == all.end()) {
      std::vector<std::string> names;
      for (const auto& c : all) names.push_back(c.name);
      return make_error(std::string(kContainersAnnotation) + " names \"" + name +
                        "\", but the pod has no such container (containers: " + join(names, ", ") + ")");
    }
    if (std::none_of(chosen.begin(), chosen.end(), [&](const auto& c) { return c.name == name; })) {
      chosen.push_back(*it);
    }
  }
  return chosen;
}

}  // namespace

Result<PodChoice> read_pod_annotations(const json& pod, const policy::PolicyConfig& config) {
  PodChoice choice;
  JK_TRY(const std::string list, annotation(pod, kContainersAnnotation));
  JK_TRY(choice.containers, select_containers(pod, list));
  JK_TRY(const std::string entry, annotation(pod, kEntrypointAnnotation));
  JK_TRY_STATUS(apply_entrypoints(entry, choice.containers));
  JK_TRY(std::string policy, annotation(pod, kPolicyAnnotation));
  if (!policy.empty()) choice.policy = std::move(policy);
  if (config.policies.find(choice.policy) == config.policies.end()) {
    std::vector<std::string> names;
    for (const auto& [name, _] : config.policies) names.push_back(name);
    return make_error(std::string(kPolicyAnnotation) + ": unknown policy \"" + choice.policy +
                      "\" (known: " + join(names, ", ") + ")");
  }
  return choice;
}

}  // namespace jk::handler
