#include "webhook/review/admission_review.h"

#include <string>

#include "webhook/review/json_read.h"

namespace jk::review {
namespace {

using boost::json::value;

Result<std::string_view> string_field(const value& obj, std::string_view key, std::string_view path,
                                      bool required) {
  const value& v = json_at(obj, key);
  if (v.is_null()) {
    if (required) return make_error(std::string(path) + "." + std::string(key) + ": missing");
    return std::string_view();
  }
  if (!v.is_string()) {
    return make_error(std::string(path) + "." + std::string(key) + ": expected a string");
  }
  return text_of(v.get_string());
}

Status decode_kind(const value& req, AdmissionRequest& out) {
  const value& kind = json_at(req, "kind");
  if (!kind.is_object()) return make_error("request.kind: missing");
  JK_TRY(out.group, string_field(kind, "group", "request.kind", false));
  JK_TRY(out.version, string_field(kind, "version", "request.kind", false));
  JK_TRY(out.kind, string_field(kind, "kind", "request.kind", true));
  return {};
}

Status decode_request(const value& req, AdmissionRequest& out) {
  if (!req.is_object()) return make_error("request: expected an object");
  JK_TRY(out.uid, string_field(req, "uid", "request", true));
  if (out.uid.empty()) return make_error("request.uid: empty");
  JK_TRY_STATUS(decode_kind(req, out));
  JK_TRY(out.sub_resource, string_field(req, "subResource", "request", false));
  JK_TRY(out.operation, string_field(req, "operation", "request", true));
  JK_TRY(out.namespace_name, string_field(req, "namespace", "request", false));
  JK_TRY(out.name, string_field(req, "name", "request", false));
  const value& dry = json_at(req, "dryRun");
  if (!dry.is_null()) {
    if (!dry.is_bool()) return make_error("request.dryRun: expected true or false");
    out.dry_run = dry.get_bool();
  }
  out.object = &json_at(req, "object");
  return {};
}

SkipList review_skips() {
  SkipList skip;
  skip.paths[0].keys = {"request", "oldObject"};
  skip.paths[0].size = 2;
  skip.paths[1].keys = {"request", "object", "metadata", "managedFields"};
  skip.paths[1].size = 4;
  skip.size = 2;
  return skip;
}

}  // namespace

Result<AdmissionRequest> decode_review(std::string_view body, JsonArena& arena) {
  static const SkipList kSkips = review_skips();
  auto parsed = arena.parse(body, kSkips);
  if (!parsed.ok()) return make_error("body is " + parsed.error().message);
  const value& doc = **parsed;
  if (!doc.is_object()) return make_error("expected an AdmissionReview object");
  AdmissionRequest out;
  JK_TRY(const std::string_view kind, string_field(doc, "kind", "AdmissionReview", true));
  if (kind != "AdmissionReview") {
    return make_error("kind: expected AdmissionReview, got " + std::string(kind));
  }
  JK_TRY(out.api_version, string_field(doc, "apiVersion", "AdmissionReview", true));
  if (out.api_version != kV1 && out.api_version != kV1beta1) {
    return make_error("apiVersion: unsupported " + std::string(out.api_version) +
                      " (expected admission.k8s.io/v1 or v1beta1)");
  }
  const auto* root = doc.if_object();
  if (root->find("request") == root->end()) return make_error("request: missing");
  JK_TRY_STATUS(decode_request(json_at(doc, "request"), out));
  return out;
}

}  // namespace jk::review
