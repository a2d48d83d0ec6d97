#pragma once
// The canonical form of a request target, and every way an upstream may read it (issue 13).
//
// Upstreams disagree about paths: nginx and Go's net/http decode every escape (`%2F` becomes a
// separator) and merge repeated slashes, Tomcat/Jetty/Spring cut `;parameters` off segments,
// Node's URL parser resolves `%2e%2e`, IIS and WHATWG URLs read `\` as `/`. A rule judged on one
// reading and forwarded to an upstream that uses another is a bypass (`/api/%2e%2e/secret`). So:
//
// 1. The proxy forwards the *canonical* target, never the bytes it received: escapes of
//    unreserved characters decoded (RFC 3986 6.2.2.2: `%2e` is `.`, `%41` is `A`), every other
//    escape with upper-case hex, dot segments removed (RFC 3986 5.2.4), query kept as sent.
// 2. What cannot be judged unambiguously is refused (an error: the proxy answers 400): malformed
//    escapes, a fragment, `\` or `%5C`, encoded control characters (`%00`-`%1F`, `%7F`), double
//    encoding (`%25` followed by two hex digits), bytes that are not UTF-8 once decoded (overlong
//    `%C0%AE` too), look-alikes that Unicode normalization turns into `.` `/` `\` (U+FF0E, ...),
//    and dot
//    segments that appear only once `%2F` is a separator or `;parameters` are cut
//    (`/api%2F..%2Fsecret`, `/api/..;/secret`).
// 3. The canonical path is judged under every combination of the three remaining differences
//    (`%2F` a separator or not, `;parameters` cut or not, empty segments merged or not); a
//    request is allowed only when every reading is (rules.h). Without `%2F`, `;` or `//` the
//    eight readings have the same segments.
//
// Pure. tests/fuzz/request_path_fuzz checks that nginx's, Go's, Node's, Tomcat's and Envoy's
// readings of the forwarded target are always among the judged readings.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::launchspec {

// One way to read the canonical path: its segments after the leading '/', fully
// percent-decoded ("/" -> {""}, "/a/" -> {"a", ""}).
struct PathReading {
  std::vector<std::string> segments;
  bool slash_decoded = false;    // `%2F` split segments
  bool params_stripped = false;  // each segment cut at its first raw ';'
  bool slashes_merged = false;   // empty segments dropped (but a trailing one)
  bool operator==(const PathReading&) const = default;
};

struct CanonicalTarget {
  std::string path;   // canonical path, starts with '/'
  std::string query;  // "?..." as received, or empty
  // All eight readings, bit 0 = slash_decoded, bit 1 = params_stripped, bit 2 = slashes_merged;
  // [0] is the plain one (split on '/', each segment decoded), which names
  // the matching rule and the suggestion of a 403.
  std::vector<PathReading> readings;

  [[nodiscard]] std::string target() const { return path + query; }
};

// `target` is an origin-form request target ("/path?query") or just a path. Errors start with
// "ambiguous path" or "bad path" and say why.
Result<CanonicalTarget> canonicalize_target(std::string_view target);

}  // namespace jk::launchspec
