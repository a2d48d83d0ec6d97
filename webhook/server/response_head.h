#pragma once
// The head of an HTTP/1.x response, written straight into the buffer that then carries the body
// (one buffer, one TLS record, no Beast message or field allocations per answer). Byte for byte
// what Beast's serializer wrote for the same response: status line in the request's version,
// Server, Content-Type, Retry-After when asked, the Connection header the version needs to say
// whether the connection stays open, Content-Length. 1xx, 204 and 304 answers carry neither a
// body nor a Content-Length (RFC 9110 8.6).
#include <cstddef>
#include <string>
#include <string_view>

namespace jk::server {

struct ResponseHead {
  int status = 200;       // 100..599
  unsigned version = 11;  // 10 or 11, the request's
  std::string_view content_type;
  bool keep_alive = true;    // the connection stays open after this answer
  bool retry_after = false;  // Retry-After: 1
  std::size_t content_length = 0;
};

// False for statuses whose answers have no body (1xx, 204, 304).
bool status_allows_body(int status);

void append_response_head(std::string& out, const ResponseHead& head);

}  // namespace jk::server
