#include "webhook/review/pod_facts.h"

#include "webhook/review/json_read.h"

namespace jk::review {
namespace {

using boost::json::value;
using policy::SelectorOp;
using policy::SelectorRequirement;
using policy::SelectorTerm;

Result<std::string> str(const value& v, const std::string& path) {
  if (v.is_null()) return std::string();
  if (!v.is_string()) return make_error(path + ": expected a string");
  return std::string(text_of(v.get_string()));
}

Result<policy::Labels> string_map(const value& v, const std::string& path) {
  policy::Labels out;
  if (v.is_null()) return out;
  if (!v.is_object()) return make_error(path + ": expected an object");
  for (const auto& member : v.get_object()) {
    const std::string key(member.key());
    JK_TRY(std::string s, str(member.value(), path + "." + key));
    out.insert_or_assign(key, std::move(s));
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

Result<std::vector<std::string>> string_list(const value& v, const std::string& path) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error(path + ": expected an array");
  const auto& array = v.get_array();
  for (std::size_t k = 0; k < array.size(); ++k) {
    JK_TRY(std::string s, str(array[k], path + "[" + std::to_string(k) + "]"));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<SelectorRequirement>> requirements(const value& v, const std::string& path) {
  std::vector<SelectorRequirement> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error(path + ": expected an array");
  const auto& array = v.get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    SelectorRequirement r;
    JK_TRY(r.key, str(json_at(array[i], "key"), p + ".key"));
    JK_TRY(const std::string op, str(json_at(array[i], "operator"), p + ".operator"));
    JK_TRY(r.op, parse_op(op, p + ".operator"));
    JK_TRY(r.values, string_list(json_at(array[i], "values"), p + ".values"));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<SelectorTerm>> required_terms(const value& spec) {
  const std::string path =
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
  const value& req = json_at(json_at(json_at(spec, "affinity"), "nodeAffinity"),
                             "requiredDuringSchedulingIgnoredDuringExecution");
  std::vector<SelectorTerm> out;
  if (req.is_null()) return out;
  const value& terms = json_at(req, "nodeSelectorTerms");
  if (!terms.is_array()) return make_error(path + ".nodeSelectorTerms: expected an array");
  const auto& array = terms.get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string p = path + ".nodeSelectorTerms[" + std::to_string(i) + "]";
    SelectorTerm t;
    JK_TRY(t.match_expressions,
           requirements(json_at(array[i], "matchExpressions"), p + ".matchExpressions"));
    JK_TRY(t.match_fields, requirements(json_at(array[i], "matchFields"), p + ".matchFields"));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<policy::Toleration>> tolerations(const value& v) {
  std::vector<policy::Toleration> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error("spec.tolerations: expected an array");
  const auto& array = v.get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string p = "spec.tolerations[" + std::to_string(i) + "]";
    policy::Toleration t;
    JK_TRY(t.key, str(json_at(array[i], "key"), p + ".key"));
    JK_TRY(std::string op, str(json_at(array[i], "operator"), p + ".operator"));
    if (!op.empty()) t.op = std::move(op);  // default Equal
    JK_TRY(t.value, str(json_at(array[i], "value"), p + ".value"));
    JK_TRY(t.effect, str(json_at(array[i], "effect"), p + ".effect"));
    out.push_back(std::move(t));
  }
  return out;
}

Result<bool> boolean(const value& v, const std::string& path) {
  if (v.is_null()) return false;
  if (!v.is_bool()) return make_error(path + ": expected true or false");
  return v.get_bool();
}

}  // namespace

Result<inject::PodFacts> decode_pod_facts(const value& pod) {
  if (!pod.is_object()) return make_error("object: expected a Pod");
  const value& meta = json_at(pod, "metadata");
  const value& spec = json_at(pod, "spec");
  if (!spec.is_object()) return make_error("spec: missing");
  inject::PodFacts f;
  JK_TRY(f.name, str(json_at(meta, "name"), "metadata.name"));
  if (f.name.empty()) {
    JK_TRY(f.name, str(json_at(meta, "generateName"), "metadata.generateName"));
  }
  JK_TRY(f.namespace_name, str(json_at(meta, "namespace"), "metadata.namespace"));
  JK_TRY(const policy::Labels labels, string_map(json_at(meta, "labels"), "metadata.labels"));
  JK_TRY(const policy::Labels annotations,
         string_map(json_at(meta, "annotations"), "metadata.annotations"));
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

}  // namespace jk::review
