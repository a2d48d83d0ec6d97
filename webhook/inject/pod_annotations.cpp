#include "webhook/inject/pod_annotations.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace jk::inject {
namespace {

using nlohmann::json;

// Absent and null read as "" (decode_pod_facts already rejected values that are not strings).
std::string annotation(const Pod& pod, std::string_view key) {
  return std::string(pod.annotation(key).value_or(""));
}

Result<std::vector<std::string>> string_array(const json& v, const std::string& what) {
  if (!v.is_array() || v.empty())
    return make_error(what + ": expected a non-empty JSON array of strings");
  std::vector<std::string> out;
  for (const auto& e : v) {
    if (!e.is_string()) return make_error(what + ": expected a non-empty JSON array of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

// jailkeeper.io/entrypoint: a JSON array for every jailed container without a command, or an
// object {"container": [...]} per container.
Status apply_entrypoints(const std::string& text, std::vector<JailedContainer>& containers) {
  if (text.empty()) return {};
  const std::string what(kEntrypointAnnotation);
  const json v = json::parse(text, nullptr, false);
  if (v.is_discarded())
    return make_error(what + ": not valid JSON (expected [\"/bin/agent\", \"arg\"])");
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

Result<std::vector<JailedContainer>> select_containers(const Pod& pod, const std::string& list) {
  if (!pod.containers.ok()) return pod.containers.error();
  std::vector<JailedContainer> all;
  for (std::size_t i = 0; i < pod.containers->size(); ++i) {
    all.push_back({i, std::string((*pod.containers)[i].name), std::nullopt});
  }
  if (list.empty()) return all;
  std::vector<JailedContainer> chosen;
  for (const auto part : split(list, ',')) {
    const std::string name(trim(part));
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.name == name; });
    if (it == all.end()) {
      std::vector<std::string> names;
      for (const auto& c : all) names.push_back(c.name);
      return make_error(std::string(kContainersAnnotation) + " names \"" + name +
                        "\", but the pod has no such container (containers: " + join(names, ", ") +
                        ")");
    }
    if (std::none_of(chosen.begin(), chosen.end(), [&](const auto& c) { return c.name == name; })) {
      chosen.push_back(*it);
    }
  }
  return chosen;
}

}  // namespace

Result<PodChoice> read_pod_annotations(const Pod& pod, const policy::PolicyConfig& config) {
  PodChoice choice;
  JK_TRY(choice.containers, select_containers(pod, annotation(pod, kContainersAnnotation)));
  JK_TRY_STATUS(apply_entrypoints(annotation(pod, kEntrypointAnnotation), choice.containers));
  std::string policy = annotation(pod, kPolicyAnnotation);
  if (!policy.empty()) choice.policy = std::move(policy);
  if (config.policies.find(choice.policy) == config.policies.end()) {
    std::vector<std::string> names;
    for (const auto& [name, _] : config.policies) names.push_back(name);
    return make_error(std::string(kPolicyAnnotation) + ": unknown policy \"" + choice.policy +
                      "\" (known: " + join(names, ", ") + ")");
  }
  return choice;
}

}  // namespace jk::inject
