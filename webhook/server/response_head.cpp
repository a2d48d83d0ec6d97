#include "webhook/server/response_head.h"

#include <boost/beast/http/status.hpp>
#include <charconv>

namespace jk::server {
namespace {

constexpr unsigned kHttp10 = 10;
constexpr int kNoContent = 204;
constexpr int kNotModified = 304;
constexpr int kFirstFinal = 200;

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

}  // namespace

bool status_allows_body(int status) {
  return status >= kFirstFinal && status != kNoContent && status != kNotModified;
}

void append_response_head(std::string& out, const ResponseHead& head) {
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(head.status));
  out.append(head.version == kHttp10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  append_number(out, static_cast<std::size_t>(head.status));
  out.push_back(' ');
  out.append(reason.data(), reason.size());
  out.append("\r\nServer: jailkeeper\r\nContent-Type: ");
  out.append(head.content_type);
  if (head.retry_after) out.append("\r\nRetry-After: 1");
  // HTTP/1.1 connections stay open unless told; HTTP/1.0 ones close unless told.
  if (head.version == kHttp10 && head.keep_alive) out.append("\r\nConnection: keep-alive");
  if (head.version != kHttp10 && !head.keep_alive) out.append("\r\nConnection: close");
  if (status_allows_body(head.status)) {
    out.append("\r\nContent-Length: ");
    append_number(out, head.content_length);
  }
  out.append("\r\n\r\n");
}

}  // namespace jk::server
