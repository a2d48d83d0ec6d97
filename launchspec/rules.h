#pragma once
// Boundary-compatible allow rules (see ../shared/BOUNDARY-COMPAT.md): the grammar and the
// matcher. Lives in launchspec because both binaries need it: the webhook validates the
// policies it writes into launch specs, the launcher enforces them.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::launchspec {

struct Rule {
  std::string text;                  // the rule as written
  std::vector<std::string> methods;  // empty: any method ("*" is stored as empty too)
  std::vector<std::string> domain;   // labels, lower-cased; empty: no domain key; {"*"}: any
  bool has_domain = false;
  std::vector<std::vector<std::string>> paths;  // each path split into segments; empty: any
};

struct RuleError {
  std::size_t offset = 0;  // byte offset of the offending character in the rule
  std::string message;     // "expected key (method, domain or path)"
};

// Parses one rule. On error, Error::message reads like
//   `domain=github.com:443: at column 18: ':' ... expected ...` (column is 1-based).
Result<Rule> parse_rule(std::string_view text);
Result<std::vector<Rule>> parse_rules(const std::vector<std::string>& texts);

struct RequestView {
  std::string_view method;
  std::string_view host;  // may carry a port or IPv6 brackets; they are stripped
  std::string_view path;  // raw (percent-encoded) path, query allowed (ignored)
};

// Index of the first matching rule, or -1 (default deny).
int first_match(const std::vector<Rule>& rules, const RequestView& request);

}  // namespace jk::launchspec
