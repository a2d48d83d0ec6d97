#pragma once
// AdmissionReview (admission.k8s.io/v1 and v1beta1) decoding: the body parsed once into a
// JsonArena, request.oldObject and request.object.metadata.managedFields skipped unbuilt (the
// webhook never reads them; real CREATE reviews carry managedFields). The request's fields are
// views into the arena, valid until its next parse.
#include <string_view>

#include <boost/json/value.hpp>

#include "common/result.h"
#include "webhook/review/json_arena.h"

namespace jk::review {

inline constexpr std::string_view kV1 = "admission.k8s.io/v1";
inline constexpr std::string_view kV1beta1 = "admission.k8s.io/v1beta1";

struct AdmissionRequest {
  std::string_view api_version;  // answered in kind
  std::string_view uid;
  std::string_view group;    // request.kind.group ("" for core)
  std::string_view version;  // request.kind.version
  std::string_view kind;     // request.kind.kind ("Pod")
  std::string_view sub_resource;
  std::string_view operation;  // CREATE | UPDATE | DELETE | CONNECT
  std::string_view namespace_name;
  std::string_view name;
  bool dry_run = false;
  const boost::json::value* object = nullptr;  // request.object (a null value when absent)
  [[nodiscard]] bool is_pod_create() const {
    return group.empty() && kind == "Pod" && operation == "CREATE" && sub_resource.empty();
  }
};

// Errors say what is wrong ("request.uid: missing", "body is not valid JSON: ..."); the server
// answers them with HTTP 400.
Result<AdmissionRequest> decode_review(std::string_view body, JsonArena& arena);

}  // namespace jk::review
