#pragma once
// The AdmissionReview answer, written straight into a caller's buffer (no DOM, no copies of the
// parts): the JSON Patch is base64-encoded directly into the output, and only the short strings
// (uid, warnings, messages, annotations) go through the escaper (common/json_writer.h).
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace jk::review {

struct AdmissionResponse {
  std::string_view uid;
  bool allowed = true;
  std::string_view patch;  // JSON Patch text; empty: no patch
  std::span<const std::string> warnings;
  const std::map<std::string, std::string>* audit_annotations = nullptr;
  int status_code = 0;  // set when !allowed
  std::string_view status_message;
};

// Appends the answer to `out` (which the caller may reuse between answers). Always valid JSON:
// invalid UTF-8 in the strings is replaced by U+FFFD.
void encode_response(std::string_view api_version, const AdmissionResponse& response,
                     std::string& out);
std::string encode_response(std::string_view api_version, const AdmissionResponse& response);

}  // namespace jk::review
