#include "webhook/inject/pod_facts.h"

#include "common/json_util.h"

namespace jk::inject {
namespace {

using nlohmann::json;
using policy::SelectorOp;
using policy::SelectorRequirement;
using policy::SelectorTerm;

Result<std::string> str(const json& v, const std::string& path) {
  if (v.is_null()) return std::string();
  if (!v.is_string()) return make_error(path + ": expected a string");
  return v.get<std::string>();
}

Result<policy::Labels> string_map(const json& v, const std::string& path) {
  policy::Labels out;
  if (v.is_null()) return out;
  if (!v.is_object()) return make_error(path + ": expected an object");
  for (const auto& [k, val] : v.items()) {
    JK_TRY(std::string s, str(val, path + "." + k));
    out.emplace(k, std::move(s));
  }
  return out;
}

Result<SelectorOp> parse_op(const std::string& op, const std::string& path) {
  if (op == "In") return SelectorOp::kIn;
  if (op == "NotIn") return SelectorOp::kNotIn;
  if (op == "Exists") return SelectorOp::kExists;
  if (op == "DoesNotExist") return SelectorOp::kDoesNotExist;
  if (op == "Gt") return SelectorOp::kGt;
  if (op == "Lt") return SelectorOp::kLt;
  return make_error(path + ": unknown operator \"" + op + "\"");
}

Result<std::vector<SelectorRequirement>> requirements(const json& v, const std::string& path) {
  std::vector<SelectorRequirement> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error(path + ": expected an array");
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    SelectorRequirement r;
    JK_TRY(r.key, str(json_at(v[i], "key"), p + ".key"));
    JK_TRY(const std::string op, str(json_at(v[i], "operator"), p + ".operator"));
    JK_TRY(r.op, parse_op(op, p + ".operator"));
    const json& values = json_at(v[i], "values");
    if (!values.is_null() && !values.is_array()) return make_error(p + ".values: expected an array");
    for (std::size_t k = 0; !values.is_null() && k < values.size(); ++k) {
      JK_TRY(std::string s, str(values[k], p + ".values[" + std::to_string(k) + "]"));
      r.values.push_back(std::move(s));
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<SelectorTerm>> required_terms(const json& spec) {
  const std::string path = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
  const json& req = json_at(json_at(json_at(spec, "affinity"), "nodeAffinity"),
                       "requiredDuringSchedulingIgnoredDuringExecution");
  std::vector<SelectorTerm> out;
  if (req.is_null()) return out;
  const json& terms = json_at(req, "nodeSelectorTerms");
  if (!terms.is_array()) return make_error(path + ".nodeSelectorTerms: expected an array");
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const std::string p = path + ".nodeSelectorTerms[" + std::to_string(i) + "]";
    SelectorTerm t;
    JK_TRY(t.match_expressions, requirements(json_at(terms[i], "matchExpressions"), p + ".matchExpressions"));
    JK_TRY(t.match_fields, requirements(json_at(terms[i], "matchFields"), p + ".matchFields"));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<policy::Toleration>> tolerations(const json& v) {
  std::vector<policy::Toleration> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error("spec.tolerations: expected an array");
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string p = "spec.tolerations[" + std::to_string(i) + "]";
    policy::Toleration t;
    JK_TRY(t.key, str(json_at(v[i], "key"), p + ".key"));
    JK_TRY(std::string op, str(json_at(v[i], "operator"), p + ".operator"));
    if (!op.empty()) t.op = std::move(op);  // default Equal
    JK_TRY(t.value, str(json_at(v[i], "value"), p + ".value"));
    JK_TRY(t.effect, str(json_at(v[i], "effect"), p + ".effect"));
    out.push_back(std::move(t));
  }
  return out;
}

Result<bool> boolean(const json& v, const std::string& path) {
  if (v.is_null()) return false;
  if (!v.is_boolean()) return make_error(path + ": expected true or false");
  return v.get<bool>();
}

}  // namespace

Result<PodFacts> decode_pod_facts(const json& pod) {
  if (!pod.is_object()) return make_error("object: expected a Pod");
  const json& meta = json_at(pod, "metadata");
  const json& spec = json_at(pod, "spec");
  if (!spec.is_object()) return make_error("spec: missing");
  PodFacts f;
  JK_TRY(f.name, str(json_at(meta, "name"), "metadata.name"));
  if (f.name.empty()) {
    JK_TRY(f.name, str(json_at(meta, "generateName"), "metadata.generateName"));
  }
  JK_TRY(f.namespace_name, str(json_at(meta, "namespace"), "metadata.namespace"));
  JK_TRY(const policy::Labels labels, string_map(json_at(meta, "labels"), "metadata.labels"));
  JK_TRY(const policy::Labels annotations, string_map(json_at(meta, "annotations"), "metadata.annotations"));
  f.mirror = annotations.count("kubernetes.io/config.mirror") != 0;
  const auto opt = labels.find("jailkeeper.io/inject");
  f.opted_out = opt != labels.end() && opt->second == "disabled";
  auto& s = f.scheduling;
  s.fargate_profile_label = labels.count("eks.amazonaws.com/fargate-profile") != 0;
  JK_TRY(f.host_network, boolean(json_at(spec, "hostNetwork"), "spec.hostNetwork"));
  JK_TRY(s.node_name, str(json_at(spec, "nodeName"), "spec.nodeName"));
  JK_TRY(s.scheduler_name, str(json_at(spec, "schedulerName"), "spec.schedulerName"));
  JK_TRY(s.node_selector, string_map(json_at(spec, "nodeSelector"), "spec.nodeSelector"));
  JK_TRY(s.required_terms, required_terms(spec));
  JK_TRY(s.tolerations, tolerations(json_at(spec, "tolerations")));
  return f;
}

}  // namespace jk::inject
