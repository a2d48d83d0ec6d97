#include "webhook/policy/scheduling.h"

#include <algorithm>
#include <charconv>

namespace jk::policy {
namespace {

bool contains(const std::vector<std::string_view>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// Gt/Lt compare the label value and the single requirement value as integers; a value that is
// not an integer never matches (as in the scheduler).
bool compare_int(const std::optional<std::string_view>& label,
                 const std::vector<std::string_view>& values, bool greater) {
  if (!label || values.size() != 1) return false;
  long long a = 0;
  long long b = 0;
  const auto ra = std::from_chars(label->data(), label->data() + label->size(), a);
  const auto rb = std::from_chars(values[0].data(), values[0].data() + values[0].size(), b);
  if (ra.ec != std::errc() || ra.ptr != label->data() + label->size()) return false;
  if (rb.ec != std::errc() || rb.ptr != values[0].data() + values[0].size()) return false;
  return greater ? a > b : a < b;
}

bool requirement_matches(const SelectorRequirement& r, const std::optional<std::string_view>& v) {
  switch (r.op) {
    case SelectorOp::kIn:
      return v && contains(r.values, *v);
    case SelectorOp::kNotIn:
      return !v || !contains(r.values, *v);
    case SelectorOp::kExists:
      return v.has_value();
    case SelectorOp::kDoesNotExist:
      return !v.has_value();
    case SelectorOp::kGt:
      return compare_int(v, r.values, true);
    case SelectorOp::kLt:
      return compare_int(v, r.values, false);
  }
  return false;
}

std::optional<std::string_view> label_of(const Node& node, std::string_view key) {
  const auto it = node.labels.find(key);
  if (it == node.labels.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::optional<std::string_view> field_of(const Node& node, std::string_view key) {
  // metadata.name is the only supported field. A static pool has no name yet: unknown field.
  if (key == "metadata.name" && !node.is_static_pool) return std::string_view(node.name);
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> selector_value(const NodeSelector& selector, std::string_view key) {
  return find_sorted(selector, key);
}

bool term_matches(const SelectorTerm& term, const Node& node) {
  // An empty term selects nothing (Kubernetes: "null or empty term matches no objects").
  if (term.match_expressions.empty() && term.match_fields.empty()) return false;
  for (const auto& r : term.match_expressions) {
    if (!requirement_matches(r, label_of(node, r.key))) return false;
  }
  for (const auto& r : term.match_fields) {
    if (node.is_static_pool) return false;  // cannot name a node that does not exist yet
    if (!requirement_matches(r, field_of(node, r.key))) return false;
  }
  return true;
}

bool tolerates(const std::vector<Toleration>& tolerations, const Taint& taint) {
  return std::any_of(tolerations.begin(), tolerations.end(), [&](const Toleration& t) {
    if (!t.effect.empty() && t.effect != taint.effect) return false;
    if (t.key.empty()) return t.op == "Exists";  // empty key + Exists tolerates everything
    if (t.key != taint.key) return false;
    return t.op == "Exists" || t.value == taint.value;
  });
}

bool node_fits(const PodScheduling& pod, const Node& node) {
  for (const auto& [k, v] : pod.node_selector) {
    const auto it = node.labels.find(k);
    if (it == node.labels.end() || it->second != v) return false;
  }
  if (!pod.required_terms.empty() &&
      std::none_of(pod.required_terms.begin(), pod.required_terms.end(),
                   [&](const SelectorTerm& t) { return term_matches(t, node); })) {
    return false;
  }
  for (const Taint& taint : node.taints) {
    const bool hard = taint.effect == "NoSchedule" || taint.effect == "NoExecute";
    if (hard && !tolerates(pod.tolerations, taint)) return false;
  }
  return true;
}

}  // namespace jk::policy
