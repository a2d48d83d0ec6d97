#pragma once
// Boundary-compatible allow rules (see ../shared/BOUNDARY-COMPAT.md): the grammar and the
// matcher. Lives in launchspec because both binaries need it: the webhook validates the
// policies it writes into launch specs, the launcher enforces them.
//
// Deliberate differences from boundary (safer): a rule that constrains nothing (empty rule,
// `path=`, trailing comma) is an error; host names compare case-insensitively and one trailing
// dot on the request host is ignored; a repeated `domain=` key is an error; `path=/` matches
// only the root path; the request path is judged in its canonical form under every reading an
// upstream may give it, and ambiguous paths are refused (request_path.h). Extension: `port=`
// (a comma list of ports, or `*`) limits a rule to those destination ports.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::launchspec {

// One segment of a path pattern.
struct PathSegment {
  std::string literal;    // percent-decoded; unused when wildcard
  bool wildcard = false;  // `*`: any one segment; as the last segment also any longer rest
  // Where an upstream that cuts `;parameters` cuts `literal`: at the first `;` the rule wrote
  // raw. A `%3B` is data there, as it is in a request (request_path.h); npos: none.
  std::size_t params_at = std::string::npos;
  bool operator==(const PathSegment&) const = default;
};
// Segments after the leading `/`, trailing `/` dropped. Empty: the root path `/` only.
using PathPattern = std::vector<PathSegment>;

struct Rule {
  std::string text;                  // the rule as written
  std::vector<std::string> methods;  // empty: any method ("*" is stored as empty too)
  std::vector<std::string> domain;   // labels, lower-cased; empty: no domain key; {"*"}: any
  bool has_domain = false;
  std::vector<PathPattern> paths;    // empty: any path (no path key)
  std::vector<std::uint16_t> ports;  // empty: any port (no port key, or `port=*`)
};

// Parses one rule. On error, Error::message names the rule, the 1-based column, the offending
// character and what was expected:
//   rule "method=GET, POST": column 12: unexpected ' ': expected an HTTP method token ...
Result<Rule> parse_rule(std::string_view text);
// Parses rules in order; the first error wins (its message names the rule text).
Result<std::vector<Rule>> parse_rules(const std::vector<std::string>& texts);

struct RequestView {
  std::string_view method;
  std::string_view host;   // may carry a port or IPv6 brackets; they are stripped
  std::string_view path;   // raw (percent-encoded) path, query allowed (ignored)
  std::uint16_t port = 0;  // destination port; 0: unknown (then no rule with `port=` matches)
};

// Index of the first rule that matches the request, or -1 (default deny). The path is
// canonicalized first (request_path.h); a request is allowed only when every reading of its
// canonical path is, and the index is the one of the plain reading. A path that cannot be
// canonicalized matches nothing.
int first_match(const std::vector<Rule>& rules, const RequestView& request);

struct Judgement {
  int rule = -1;       // as first_match
  std::string target;  // the canonical target: what is judged is what may be forwarded
};
// first_match plus the canonical target. An error (the proxy answers 400) when the path cannot
// be judged unambiguously; the message says why.
Result<Judgement> judge(const std::vector<Rule>& rules, const RequestView& request);

// A valid rule that allows this request (for the 403 body): `method=GET domain=api.github.com
// path=/repos/x`. An empty method or path leaves that key out; the domain never carries a port;
// host labels that no pattern can spell (e.g. `a_b`) become `*`, an IP v6 host `domain=*`.
std::string suggest_rule(std::string_view method, std::string_view host, std::string_view path);

}  // namespace jk::launchspec
