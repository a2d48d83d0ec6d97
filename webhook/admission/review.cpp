#include "webhook/admission/review.h"

#include "common/base64.h"

namespace jk::admission {
namespace {

using nlohmann::json;

Result<std::string> string_field(const json& obj, const char* key, const std::string& path,
                                 bool required) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return make_error(path + "." + key + ": missing");
    return std::string();
  }
  if (!it->is_string()) return make_error(path + "." + key + ": expected a string");
  return it->get<std::string>();
}

Status decode_kind(const json& req, AdmissionRequest& out) {
  const auto it = req.find("kind");
  if (it == req.end() || !it->is_object()) return make_error("request.kind: missing");
  JK_TRY(out.group, string_field(*it, "group", "request.kind", false));
  JK_TRY(out.version, string_field(*it, "version", "request.kind", false));
  JK_TRY(out.kind, string_field(*it, "kind", "request.kind", true));
  return {};
}

Status decode_request(json& req, AdmissionRequest& out) {
  if (!req.is_object()) return make_error("request: expected an object");
  JK_TRY(out.uid, string_field(req, "uid", "request", true));
  if (out.uid.empty()) return make_error("request.uid: empty");
  JK_TRY_STATUS(decode_kind(req, out));
  JK_TRY(out.sub_resource, string_field(req, "subResource", "request", false));
  JK_TRY(out.operation, string_field(req, "operation", "request", true));
  JK_TRY(out.namespace_name, string_field(req, "namespace", "request", false));
  JK_TRY(out.name, string_field(req, "name", "request", false));
  const auto dry = req.find("dryRun");
  if (dry != req.end() && !dry->is_null()) {
    if (!dry->is_boolean()) return make_error("request.dryRun: expected true or false");
    out.dry_run = dry->get<bool>();
  }
  const auto obj = req.find("object");
  if (obj != req.end()) out.object = std::move(*obj);
  return {};
}

}  // namespace

Result<AdmissionRequest> decode_review(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return make_error("body is not valid JSON");
  if (!doc.is_object()) return make_error("expected an AdmissionReview object");
  AdmissionRequest out;
  JK_TRY(const std::string kind, string_field(doc, "kind", "AdmissionReview", true));
  if (kind != "AdmissionReview") return make_error("kind: expected AdmissionReview, got " + kind);
  JK_TRY(out.api_version, string_field(doc, "apiVersion", "AdmissionReview", true));
  if (out.api_version != kV1 && out.api_version != kV1beta1) {
    return make_error("apiVersion: unsupported " + out.api_version +
                      " (expected admission.k8s.io/v1 or v1beta1)");
  }
  const auto req = doc.find("request");
  if (req == doc.end()) return make_error("request: missing");
  JK_TRY_STATUS(decode_request(*req, out));
  return out;
}

std::string encode_response(std::string_view api_version, const AdmissionResponse& r) {
  nlohmann::ordered_json resp;
  resp["uid"] = r.uid;
  resp["allowed"] = r.allowed;
  if (!r.patch.empty()) {
    resp["patchType"] = "JSONPatch";
    resp["patch"] = base64_encode(r.patch);
  }
  if (!r.allowed) {
    resp["status"] = {{"code", r.status_code}, {"message", r.status_message}};
  }
  if (!r.warnings.empty()) resp["warnings"] = r.warnings;
  if (!r.audit_annotations.empty()) resp["auditAnnotations"] = r.audit_annotations;
  nlohmann::ordered_json doc;
  doc["apiVersion"] = api_version;
  doc["kind"] = "AdmissionReview";
  doc["response"] = std::move(resp);
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace jk::admission
