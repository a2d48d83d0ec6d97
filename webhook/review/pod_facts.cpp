#include "webhook/review/pod_facts.h"

#include "common/sorted_pairs.h"
#include "webhook/review/json_read.h"

namespace jk::review {
namespace {

using boost::json::value;
using policy::SelectorOp;
using policy::SelectorRequirement;
using policy::SelectorTerm;

// Views into the document: the facts copy no string.
Result<std::string_view> str(const value& v, const JsonPath& path) {
  if (v.is_null()) return std::string_view();
  if (!v.is_string()) return make_error(path + ": expected a string");
  return text_of(v.get_string());
}

// An object of strings (null read as ""), sorted by key; of a key written twice the last value
// counts (as a map's insert_or_assign would have it).
Result<policy::NodeSelector> string_map(const value& v, const JsonPath& path) {
  policy::NodeSelector out;
  if (v.is_null()) return out;
  if (!v.is_object()) return make_error(path + ": expected an object");
  const boost::json::object& object = v.get_object();
  out.reserve(object.size());
  for (const auto& member : object) {
    const std::string_view key(member.key().data(), member.key().size());
    JK_TRY(const std::string_view s, str(member.value(), path.field(key)));
    out.emplace_back(key, s);
  }
  sort_keep_last(out);
  return out;
}

// A map whose values are strings (or null, read as ""), as string_map() would accept it.
Status check_string_map(const value& v, const JsonPath& path) {
  if (v.is_null()) return {};
  if (!v.is_object()) return make_error(path + ": expected an object");
  for (const auto& member : v.get_object()) {
    if (!member.value().is_null() && !member.value().is_string()) {
      return make_error(path.field({member.key().data(), member.key().size()}) +
                        ": expected a string");
    }
  }
  return {};
}

bool has_key(const value& object, std::string_view key) {
  const boost::json::object* o = object.if_object();
  return o != nullptr && o->contains(boost::json::string_view(key.data(), key.size()));
}

Result<SelectorOp> parse_op(std::string_view op, const JsonPath& path) {
  if (op == "In") return SelectorOp::kIn;
  if (op == "NotIn") return SelectorOp::kNotIn;
  if (op == "Exists") return SelectorOp::kExists;
  if (op == "DoesNotExist") return SelectorOp::kDoesNotExist;
  if (op == "Gt") return SelectorOp::kGt;
  if (op == "Lt") return SelectorOp::kLt;
  return make_error(path + ": unknown operator \"" + std::string(op) + "\"");
}

Result<std::vector<std::string_view>> string_list(const value& v, const JsonPath& path) {
  std::vector<std::string_view> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error(path + ": expected an array");
  const auto& array = v.get_array();
  out.reserve(array.size());
  for (std::size_t k = 0; k < array.size(); ++k) {
    JK_TRY(const std::string_view s, str(array[k], path.index(k)));
    out.push_back(s);
  }
  return out;
}

Result<std::vector<SelectorRequirement>> requirements(const value& v, const JsonPath& path) {
  std::vector<SelectorRequirement> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error(path + ": expected an array");
  const auto& array = v.get_array();
  out.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    const JsonPath p = path.index(i);
    SelectorRequirement r;
    JK_TRY(r.key, str(json_at(array[i], "key"), p.field("key")));
    JK_TRY(const std::string_view op, str(json_at(array[i], "operator"), p.field("operator")));
    JK_TRY(r.op, parse_op(op, p.field("operator")));
    JK_TRY(r.values, string_list(json_at(array[i], "values"), p.field("values")));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<SelectorTerm>> required_terms(const value& spec) {
  const JsonPath path("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution");
  const value& req = json_at(json_at(json_at(spec, "affinity"), "nodeAffinity"),
                             "requiredDuringSchedulingIgnoredDuringExecution");
  std::vector<SelectorTerm> out;
  if (req.is_null()) return out;
  const value& terms = json_at(req, "nodeSelectorTerms");
  if (!terms.is_array()) return make_error(path + ".nodeSelectorTerms: expected an array");
  const auto& array = terms.get_array();
  out.reserve(array.size());
  const JsonPath terms_path = path.field("nodeSelectorTerms");
  for (std::size_t i = 0; i < array.size(); ++i) {
    const JsonPath p = terms_path.index(i);
    SelectorTerm t;
    JK_TRY(t.match_expressions,
           requirements(json_at(array[i], "matchExpressions"), p.field("matchExpressions")));
    JK_TRY(t.match_fields, requirements(json_at(array[i], "matchFields"), p.field("matchFields")));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<policy::Toleration>> tolerations(const value& v) {
  std::vector<policy::Toleration> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return make_error("spec.tolerations: expected an array");
  const auto& array = v.get_array();
  out.reserve(array.size());
  const JsonPath path("spec.tolerations");
  for (std::size_t i = 0; i < array.size(); ++i) {
    const JsonPath p = path.index(i);
    policy::Toleration t;
    JK_TRY(t.key, str(json_at(array[i], "key"), p.field("key")));
    JK_TRY(const std::string_view op, str(json_at(array[i], "operator"), p.field("operator")));
    if (!op.empty()) t.op = op;  // default Equal
    JK_TRY(t.value, str(json_at(array[i], "value"), p.field("value")));
    JK_TRY(t.effect, str(json_at(array[i], "effect"), p.field("effect")));
    out.push_back(std::move(t));
  }
  return out;
}

Result<bool> boolean(const value& v, const JsonPath& path) {
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
  JK_TRY(f.name, str(json_at(meta, "name"), JsonPath("metadata.name")));
  if (f.name.empty()) {
    JK_TRY(f.name, str(json_at(meta, "generateName"), JsonPath("metadata.generateName")));
  }
  JK_TRY(f.namespace_name, str(json_at(meta, "namespace"), JsonPath("metadata.namespace")));
  // Labels and annotations are checked (every value a string), not copied: three keys are read.
  const value& labels = json_at(meta, "labels");
  const value& annotations = json_at(meta, "annotations");
  JK_TRY_STATUS(check_string_map(labels, JsonPath("metadata.labels")));
  JK_TRY_STATUS(check_string_map(annotations, JsonPath("metadata.annotations")));
  f.mirror = has_key(annotations, "kubernetes.io/config.mirror");
  f.opted_out = string_or_empty(json_at(labels, "jailkeeper.io/inject")) == "disabled";
  auto& s = f.scheduling;
  s.fargate_profile_label = has_key(labels, "eks.amazonaws.com/fargate-profile");
  JK_TRY(f.host_network, boolean(json_at(spec, "hostNetwork"), JsonPath("spec.hostNetwork")));
  JK_TRY(s.node_name, str(json_at(spec, "nodeName"), JsonPath("spec.nodeName")));
  JK_TRY(s.scheduler_name, str(json_at(spec, "schedulerName"), JsonPath("spec.schedulerName")));
  JK_TRY(s.node_selector, string_map(json_at(spec, "nodeSelector"), JsonPath("spec.nodeSelector")));
  JK_TRY(s.required_terms, required_terms(spec));
  JK_TRY(s.tolerations, tolerations(json_at(spec, "tolerations")));
  return f;
}

}  // namespace jk::review
