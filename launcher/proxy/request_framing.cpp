#include "launcher/proxy/request_framing.h"

#include <algorithm>
#include <array>
#include <string>

#include "launcher/proxy/http_token.h"

namespace jk::launcher::proxy {
namespace {

constexpr std::string_view kWhitespace = " \t";

std::string_view trim_ows(std::string_view s) {
  const std::size_t first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Bare LF or bare CR anywhere in the head.
Status check_line_ends(std::string_view head) {
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) {
      return make_error("bad request framing: a line ends with a bare LF (expected CRLF)");
    }
    if (head[i] == '\r' && (i + 1 == head.size() || head[i + 1] != '\n')) {
      return make_error("bad request framing: a bare CR");
    }
  }
  return {};
}

struct FramingFields {
  int host = 0;
  int content_length = 0;
  int transfer_encoding = 0;
};

Status check_field(std::string_view line, FramingFields& seen) {
  if (line.front() == ' ' || line.front() == '\t') {
    return make_error("bad request framing: obs-fold (a field line starting with whitespace)");
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos)
    return make_error("bad request framing: a field without ':'");
  const std::string_view name = line.substr(0, colon);
  if (name.empty() || name.find_first_of(kWhitespace) != std::string_view::npos) {
    return make_error("bad request framing: whitespace in or before a field name");
  }
  const std::string lowered = lower_ascii(name);
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (lowered == "host") ++seen.host;
  if (lowered == "x-original-url" || lowered == "x-rewrite-url") {
    return make_error("bad request: " + std::string(name) +
                      " (some upstreams route by it instead of the judged path)");
  }
  if (lowered == "content-length") {
    ++seen.content_length;
    if (!all_digits(value)) {
      return make_error("bad request framing: Content-Length \"" + std::string(value) +
                        "\" is not a single number");
    }
  }
  if (lowered == "transfer-encoding") {
    ++seen.transfer_encoding;
    if (lower_ascii(value) != "chunked") {
      return make_error("bad request framing: Transfer-Encoding \"" + std::string(value) +
                        "\" (only \"chunked\" is forwarded)");
    }
  }
  return {};
}

Status check_counts(const FramingFields& seen, bool http10) {
  if (seen.host > 1) return make_error("bad request: more than one Host header");
  if (seen.content_length > 1)
    return make_error("bad request framing: more than one Content-Length");
  if (seen.transfer_encoding > 1) {
    return make_error("bad request framing: more than one Transfer-Encoding");
  }
  if (seen.transfer_encoding > 0 && seen.content_length > 0) {
    return make_error("bad request framing: both Transfer-Encoding and Content-Length");
  }
  if (seen.transfer_encoding > 0 && http10) {
    return make_error("bad request framing: Transfer-Encoding in an HTTP/1.0 request");
  }
  return {};
}

}  // namespace

std::size_t head_length(std::string_view bytes) {
  for (std::size_t at = bytes.find('\n'); at != std::string_view::npos;
       at = bytes.find('\n', at + 1)) {
    if (at + 1 < bytes.size() && bytes[at + 1] == '\n') return at + 2;
    if (at + 2 < bytes.size() && bytes[at + 1] == '\r' && bytes[at + 2] == '\n') return at + 3;
  }
  return std::string_view::npos;
}

Status check_request_head(std::string_view head) {
  JK_TRY_STATUS(check_line_ends(head));
  // Leading empty lines are not skipped: the head checked must be the head parsed.
  if (head.starts_with("\r\n")) return make_error("bad request framing: an empty request line");
  std::size_t start = 0;
  bool first = true;
  bool http10 = false;
  FramingFields seen;
  while (start < head.size()) {
    const std::size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos || end == start) break;  // the empty line ends the head
    const std::string_view line = head.substr(start, end - start);
    start = end + 2;
    if (first) {
      first = false;
      http10 = line.ends_with(" HTTP/1.0");
      continue;
    }
    JK_TRY_STATUS(check_field(line, seen));
  }
  return check_counts(seen, http10);
}

std::vector<std::string> method_overrides(std::string_view head) {
  std::vector<std::string> out;
  std::size_t start = head.find("\r\n");
  while (start != std::string_view::npos && start + 2 < head.size()) {
    start += 2;
    const std::size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos || end == start) break;
    const std::string_view line = head.substr(start, end - start);
    start = end;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = lower_ascii(line.substr(0, colon));
    if (name == "x-http-method-override" || name == "x-http-method" ||
        name == "x-method-override") {
      out.emplace_back(trim_ows(line.substr(colon + 1)));
    }
  }
  return out;
}

BodyRule body_rule(std::string_view method) {
  static constexpr std::array<std::string_view, 5> kNoBody = {"GET", "HEAD", "DELETE", "TRACE",
                                                              "CONNECT"};
  static constexpr std::array<std::string_view, 3> kBody = {"POST", "PUT", "PATCH"};
  // Case-insensitive here: an upstream that reads "get" as GET would ignore its body too.
  const std::string upper = [&] {
    std::string out(method);
    for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    return out;
  }();
  if (std::find(kNoBody.begin(), kNoBody.end(), upper) != kNoBody.end()) return BodyRule::kRefuse;
  if (std::find(kBody.begin(), kBody.end(), method) != kBody.end()) return BodyRule::kForward;
  return BodyRule::kForwardNoReuse;
}

}  // namespace jk::launcher::proxy
