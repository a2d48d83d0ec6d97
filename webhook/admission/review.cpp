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

namespace {

// A JSON string literal; invalid UTF-8 is replaced, so the answer is always valid JSON.
void append_string(std::string& out, std::string_view s) {
  out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

void append_member(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;
  out += "\":";
}

}  // namespace

// Written directly rather than through a DOM: the base64 patch (most of the answer) needs no
// escaping and is appended once; only the short strings go through the escaper.
std::string encode_response(std::string_view api_version, const AdmissionResponse& r) {
  const std::string patch = r.patch.empty() ? std::string() : base64_encode(r.patch);
  std::string out;
  out.reserve(patch.size() + 512);
  out += "{\"apiVersion\":";
  append_string(out, api_version);
  out += ",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":";
  append_string(out, r.uid);
  out += r.allowed ? ",\"allowed\":true" : ",\"allowed\":false";
  if (!patch.empty()) {
    out += ",\"patchType\":\"JSONPatch\",\"patch\":\"";
    out += patch;  // base64 alphabet: nothing to escape
    out += '"';
  }
  if (!r.allowed) {
    out += ",\"status\":{\"code\":" + std::to_string(r.status_code) + ",\"message\":";
    append_string(out, r.status_message);
    out += '}';
  }
  if (!r.warnings.empty()) {
    append_member(out, "warnings");
    char sep = '[';
    for (const auto& w : r.warnings) {
      out += sep;
      append_string(out, w);
      sep = ',';
    }
    out += ']';
  }
  if (!r.audit_annotations.empty()) {
    append_member(out, "auditAnnotations");
    char sep = '{';
    for (const auto& [k, v] : r.audit_annotations) {
      out += sep;
      append_string(out, k);
      out += ':';
      append_string(out, v);
      sep = ',';
    }
    out += '}';
  }
  out += "}}";
  return out;
}

}  // namespace jk::admission
