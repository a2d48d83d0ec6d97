#include "webhook/cli/inject.h"

#include <istream>
#include <ostream>
#include <sstream>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "launchspec/launch_spec.h"
#include "webhook/cli/workloads.h"
#include "webhook/cli/yaml_json.h"
#include "webhook/review/pod_decoder.h"

namespace jk::cli {
namespace {

using nlohmann::ordered_json;

constexpr int kJsonIndent = 2;

// What happened to one object, for the report on the error stream.
struct ObjectReport {
  std::string line;
  std::vector<std::string> warnings;
  bool denied = false;
};

std::string effective_namespace(const WorkloadRef& ref, const InjectOptions& opts) {
  if (!ref.namespace_name.empty()) return ref.namespace_name;
  return opts.namespace_name.empty() ? std::string(kDefaultNamespace) : opts.namespace_name;
}

std::string jail_on_os(const inject::MutationResult& result) {
  if (!result.decision) return "";
  return std::string(launchspec::jail_name(result.decision->jail)) + " on " +
         result.decision->node_os_label;
}

std::string verdict(const inject::MutationResult& result) {
  switch (result.outcome) {
    case inject::Outcome::kPatched:
      return "patched " + jail_on_os(result) + ": " + join(result.changes, "; ");
    case inject::Outcome::kUnchanged:
      return "unchanged: already prepared for " + jail_on_os(result);
    case inject::Outcome::kSkipped:
      return "skipped: " + result.skip_reason;
    case inject::Outcome::kDenied:
      return "denied: " + result.deny_message;
  }
  return "unchanged";
}

// Runs one pod template through inject::mutate and, when patched, writes the result back into
// `document`. Denied and skipped objects stay exactly as they were.
Result<ObjectReport> inject_object(ordered_json& document, const WorkloadRef& ref,
                                   const InjectOptions& opts, const inject::Snapshot& snapshot) {
  const std::string ns = effective_namespace(ref, opts);
  ObjectReport report;
  report.line = display_name(ref) + " (namespace " + ns + "): ";
  if (!ref.pod_template) {
    report.line += "skipped: " + ref.skip_reason;
    return report;
  }
  const ordered_json pod = extract_pod(document, ref, ns);
  // The one pod decoder reads the pod's text, as it reads the pod inside a review. YAML may
  // carry invalid UTF-8, which JSON text cannot: it is replaced (the patch applies to `pod`).
  const std::string text = pod.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  const inject::MutationResult result = inject::mutate(review::decode_pod_json(text), snapshot,
                                                       inject::MutationOptions{ns, opts.forced_os});
  report.line += verdict(result);
  report.warnings = result.warnings;
  report.denied = result.outcome == inject::Outcome::kDenied;
  if (result.outcome == inject::Outcome::kPatched) {
    // inject::mutate writes the patch as the webhook sends it: JSON text, read back here.
    const auto ops = nlohmann::json::parse(result.patch, nullptr, false);
    if (ops.is_discarded()) return make_error(display_name(ref) + ": the patch is not JSON");
    auto patched = apply_json_patch(pod, ops);
    if (!patched.ok()) return patched.error().wrap(display_name(ref));
    write_back_pod(document, ref, *patched);
  }
  return report;
}

void write_report(const ObjectReport& report, std::ostream& err) {
  err << report.line << "\n";
  for (const std::string& warning : report.warnings) err << "  warning: " << warning << "\n";
}

std::string render(const std::vector<ordered_json>& documents, std::string_view format) {
  if (format != kOutputJson) return emit_yaml_stream(documents);
  const auto dump = [](const ordered_json& j) {
    return j.dump(kJsonIndent, ' ', false, ordered_json::error_handler_t::replace) + "\n";
  };
  if (documents.size() == 1) return dump(documents.front());
  return dump(ordered_json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", documents}});
}

Result<std::string> read_all(std::istream& in, const std::string& source) {
  std::ostringstream text;
  text << in.rdbuf();  // sets failbit on `text` for empty input, which is fine
  if (in.bad()) return make_error("reading " + source + " failed");
  return std::move(text).str();
}

}  // namespace

int run_inject(const InjectOptions& opts, std::istream& in, std::ostream& out, std::ostream& err,
               const inject::Snapshot& snapshot) {
  const std::string source = opts.input == "-" ? "stdin" : opts.input;
  auto text = read_all(in, source);
  auto documents =
      text.ok() ? parse_documents(*text) : Result<std::vector<ordered_json>>(text.error());
  if (!documents.ok()) {
    err << "jailkeeper-webhook inject: " << source << ": " << documents.error().message << "\n";
    return kInjectInputError;
  }
  bool any_denied = false;
  std::ostringstream reports;
  for (ordered_json& document : *documents) {
    for (const WorkloadRef& ref : find_workloads(document)) {
      auto report = inject_object(document, ref, opts, snapshot);
      if (!report.ok()) {
        err << "jailkeeper-webhook inject: " << source << ": " << report.error().message << "\n";
        return kInjectInputError;
      }
      write_report(*report, reports);
      any_denied = any_denied || report->denied;
    }
  }
  err << reports.str();
  out << render(*documents, opts.output);
  return any_denied ? kInjectDenied : kInjectOk;
}

}  // namespace jk::cli
