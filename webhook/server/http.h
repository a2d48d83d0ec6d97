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
  std::string_view content_type = "application/json";  // a literal: it outlives the answer
  // The server gives the body's memory back to jk::give_buffer once it is written: a handler
  // that starts it with jk::take_buffer() reuses the memory of earlier answers.
  std::string body;
};

}  // namespace jk::server
