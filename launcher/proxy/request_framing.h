#pragma once
// Request framing an upstream may read differently from the proxy (issue 13: request smuggling
// through a kept-alive upstream connection). Pure; the session checks the raw head bytes before
// Beast parses them, and the body rule once the head is parsed.
//
// Refused (400): bare LF or bare CR line endings, obs-fold (a field line starting with space or
// tab), whitespace between a field name and ':', more than one Host field, more than one
// Content-Length (also "5, 5") or one that is not all digits, Transfer-Encoding other than
// exactly `chunked` (`gzip, chunked`, `chunked, chunked`, `xchunked`, repeated fields), both
// Transfer-Encoding and Content-Length, Transfer-Encoding in an HTTP/1.0 request. And a body on a
// method whose body has no defined meaning (RFC 9110 9.3: GET, HEAD, DELETE, TRACE; CONNECT
// never forwards one; compared case-insensitively): upstreams may ignore it and read it as the
// next request. Also refused: X-Original-URL and X-Rewrite-URL, which make some frameworks
// (Symfony, IIS URL Rewrite) route to another path than the judged one.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::launcher::proxy {

// The length of the head at the start of `bytes` (start line, fields and the empty line that
// ends them, whether the line ends are CRLF or bare LF), or npos while no empty line was seen.
std::size_t head_length(std::string_view bytes);

// Checks the raw head (what head_length measured). The error says what is wrong.
Status check_request_head(std::string_view head);

// The methods an upstream may act on instead of the request method (X-HTTP-Method-Override,
// X-HTTP-Method, X-Method-Override values, trimmed): each must be allowed too. From the raw head.
std::vector<std::string> method_overrides(std::string_view head);

enum class BodyRule {
  kForward,         // POST, PUT, PATCH: the upstream must read the body it announces
  kForwardNoReuse,  // any other method: forwarded, then the upstream connection is closed
  kRefuse,          // GET, HEAD, DELETE, TRACE, CONNECT with a body
};
// What to do with a request of `method` that has a body (chunked, or Content-Length > 0).
BodyRule body_rule(std::string_view method);

}  // namespace jk::launcher::proxy
