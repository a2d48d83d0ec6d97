#pragma once
// Plain request/response values between the server (which owns Beast) and whatever it serves:
// the server knows no admission, the handlers never see Beast types.
#include <string>
#include <string_view>

namespace jk::server {

struct HttpRequest {
  std::string_view method;        // "POST"
  std::string_view target;        // "/mutate?timeout=10s"
  std::string_view content_type;  // may be empty
  std::string_view body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

}  // namespace jk::server
