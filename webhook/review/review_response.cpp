#include "webhook/review/review_response.h"

#include "common/base64.h"
#include "common/json_writer.h"

namespace jk::review {
namespace {

void append_member(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;
  out += "\":";
}

}  // namespace

void encode_response(std::string_view api_version, const AdmissionResponse& r, std::string& out) {
  out += "{\"apiVersion\":";
  append_json_string(out, api_version);
  out += ",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":";
  append_json_string(out, r.uid);
  out += r.allowed ? ",\"allowed\":true" : ",\"allowed\":false";
  if (!r.patch.empty()) {
    out += ",\"patchType\":\"JSONPatch\",\"patch\":\"";
    base64_encode_to(r.patch, out);  // base64 alphabet: nothing to escape
    out += '"';
  }
  if (!r.allowed) {
    out += ",\"status\":{\"code\":";
    out += std::to_string(r.status_code);
    out += ",\"message\":";
    append_json_string(out, r.status_message);
    out += '}';
  }
  if (!r.warnings.empty()) {
    append_member(out, "warnings");
    char sep = '[';
    for (const auto& w : r.warnings) {
      out += sep;
      append_json_string(out, w);
      sep = ',';
    }
    out += ']';
  }
  if (r.audit_annotations != nullptr && !r.audit_annotations->empty()) {
    append_member(out, "auditAnnotations");
    char sep = '{';
    for (const auto& [k, v] : *r.audit_annotations) {
      out += sep;
      append_json_string(out, k);
      out += ':';
      append_json_string(out, v);
      sep = ',';
    }
    out += '}';
  }
  out += "}}";
}

std::string encode_response(std::string_view api_version, const AdmissionResponse& response) {
  std::string out;
  encode_response(api_version, response, out);
  return out;
}

}  // namespace jk::review
