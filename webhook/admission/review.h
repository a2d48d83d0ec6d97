#pragma once
// AdmissionReview (admission.k8s.io/v1 and v1beta1) decoding and response encoding. The body
// is parsed once; the object is moved out, never copied or re-serialised.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace jk::admission {

inline constexpr std::string_view kV1 = "admission.k8s.io/v1";
inline constexpr std::string_view kV1beta1 = "admission.k8s.io/v1beta1";

struct AdmissionRequest {
  std::string api_version;  // answered in kind
  std::string uid;
  std::string group;        // request.kind.group ("" for core)
  std::string version;      // request.kind.version
  std::string kind;         // request.kind.kind ("Pod")
  std::string sub_resource;
  std::string operation;    // CREATE | UPDATE | DELETE | CONNECT
  std::string namespace_name;
  std::string name;
  bool dry_run = false;
  nlohmann::json object;    // request.object (null when absent)
  [[nodiscard]] bool is_pod_create() const {
    return group.empty() && kind == "Pod" && operation == "CREATE" && sub_resource.empty();
  }
};

// Errors say what is wrong ("request.uid: missing"); the server answers them with HTTP 400.
Result<AdmissionRequest> decode_review(std::string_view body);

struct AdmissionResponse {
  std::string uid;
  bool allowed = true;
  std::string patch;  // JSON Patch text; empty: no patch
  std::vector<std::string> warnings;
  std::map<std::string, std::string> audit_annotations;
  int status_code = 0;  // set when !allowed
  std::string status_message;
};

std::string encode_response(std::string_view api_version, const AdmissionResponse& response);

}  // namespace jk::admission
