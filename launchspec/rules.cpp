#include "launchspec/rules.h"

#include <algorithm>
#include <optional>

#include "common/strings.h"
#include "launchspec/request_path.h"

namespace jk::launchspec {

namespace {

constexpr std::string_view kHexDigits = "0123456789ABCDEF";
constexpr int kHexBase = 16;
constexpr std::size_t kEscapeLength = 3;  // "%XX"
constexpr std::size_t kMaxPortDigits = 5;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }
bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
// RFC 7230 tchar.
bool is_tchar(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool is_label_char(char c) { return is_alnum(c) || c == '-'; }
// RFC 3986 pchar without ',' (the list separator) and without '%' (escapes are handled apart).
bool is_pchar(char c) {
  return is_alnum(c) || std::string_view("-._~!$&'()*+;=:@").find(c) != std::string_view::npos;
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool is_escape_at(std::string_view s, std::size_t pos) {
  return pos + 2 < s.size() && s[pos] == '%' && hex_value(s[pos + 1]) >= 0 &&
         hex_value(s[pos + 2]) >= 0;
}
char decode_escape_at(std::string_view s, std::size_t pos) {
  return static_cast<char>(hex_value(s[pos + 1]) * kHexBase + hex_value(s[pos + 2]));
}
void append_escape(std::string& out, char c) {
  const auto byte = static_cast<unsigned char>(c);
  out += '%';
  out += kHexDigits[byte / kHexBase];
  out += kHexDigits[byte % kHexBase];
}

// A character as it appears in an error message: 'x', or an escape for invisible bytes.
std::string describe_char(char c) {
  if (c == '\t') return "'\\t'";
  if (c == '\n') return "'\\n'";
  if (c == '\r') return "'\\r'";
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte >= 0x7f) {
    std::string out = "'\\x";
    out += kHexDigits[byte / kHexBase];
    out += kHexDigits[byte % kHexBase];
    return out + "'";
  }
  return std::string("'") + c + "'";
}

// The rule text for error messages, with invisible bytes escaped.
std::string quote_rule(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      const std::string d = describe_char(c);
      out += d.substr(1, d.size() - 2);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Recursive-descent parser over one rule. Each parse_* returns false after recording the error.
class RuleParser {
 public:
  explicit RuleParser(std::string_view text) : text_(text) { rule_.text = std::string(text); }

  Result<Rule> run() {
    if (text_.empty()) {
      fail(0, "a key (method=, domain= or path=); an empty rule would allow everything");
      return error();
    }
    while (!at_end()) {
      if (!parse_pair()) return error();
      while (!at_end() && is_space(peek())) ++pos_;
    }
    if (any_method_) rule_.methods.clear();
    if (any_port_) rule_.ports.clear();
    return std::move(rule_);
  }

 private:
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return text_[pos_]; }
  [[nodiscard]] bool at_value_end() const { return at_end() || is_space(peek()); }
  [[nodiscard]] bool at_path_end() const { return at_value_end() || peek() == ','; }

  // Records "unexpected <char at pos>: expected <expected>".
  bool fail(std::size_t pos, std::string_view expected) {
    const std::string found =
        pos < text_.size() ? describe_char(text_[pos]) : std::string("end of rule");
    return fail_with(pos, "unexpected " + found + ": expected " + std::string(expected));
  }
  bool fail_with(std::size_t pos, std::string message) {
    error_pos_ = pos;
    error_message_ = std::move(message);
    return false;
  }
  [[nodiscard]] Error error() const {
    return make_error("rule " + quote_rule(text_) + ": column " + std::to_string(error_pos_ + 1) +
                      ": " + error_message_);
  }

  bool parse_pair() {
    const std::size_t key_pos = pos_;
    while (!at_end() && is_alnum(peek())) ++pos_;
    const std::string_view key = text_.substr(key_pos, pos_ - key_pos);
    if (key.empty()) return fail(pos_, "a key (method=, domain= or path=)");
    if (key != "method" && key != "domain" && key != "path" && key != "port") {
      return fail_with(key_pos, "unknown key \"" + std::string(key) +
                                    "\": expected method, domain, path or port (lower case)");
    }
    if (at_end() || peek() != '=') return fail(pos_, "'=' after \"" + std::string(key) + "\"");
    ++pos_;
    if (key == "method") return parse_methods();
    if (key == "domain") return parse_domain(key_pos);
    if (key == "port") return parse_ports();
    return parse_paths();
  }

  // `port=443`, `port=80,8080`, `port=*` (any: the same as no port key).
  bool parse_ports() {
    while (true) {
      const std::size_t start = pos_;
      if (!at_end() && peek() == '*') {
        ++pos_;
        any_port_ = true;
      } else {
        while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
        const std::string_view digits = text_.substr(start, pos_ - start);
        const auto value = parse_u64(digits);
        if (digits.empty() || digits.size() > kMaxPortDigits || !value || *value == 0 ||
            *value > UINT16_MAX) {
          return fail_with(start, "expected a port number 1-65535 or '*'");
        }
        add_port(static_cast<std::uint16_t>(*value));
      }
      if (at_end() || peek() != ',') break;
      ++pos_;
    }
    return expect_value_end("',' and another port, or whitespace before the next key");
  }

  void add_port(std::uint16_t port) {
    if (std::find(rule_.ports.begin(), rule_.ports.end(), port) == rule_.ports.end()) {
      rule_.ports.push_back(port);
    }
  }

  bool expect_value_end(std::string_view expected) {
    return at_value_end() || fail(pos_, expected);
  }

  bool parse_methods() {
    while (true) {
      const std::size_t start = pos_;
      while (!at_end() && is_tchar(peek())) ++pos_;
      if (pos_ == start) {
        return fail(pos_, "an HTTP method token (e.g. GET) or '*'; lists have no spaces");
      }
      add_method(text_.substr(start, pos_ - start));
      if (at_end() || peek() != ',') break;
      ++pos_;
    }
    return expect_value_end("',' and another method, or whitespace before the next key");
  }

  void add_method(std::string_view method) {
    if (method == "*") any_method_ = true;
    if (std::find(rule_.methods.begin(), rule_.methods.end(), method) == rule_.methods.end()) {
      rule_.methods.emplace_back(method);
    }
  }

  bool parse_domain(std::size_t key_pos) {
    if (rule_.has_domain) {
      return fail_with(key_pos,
                       "unexpected repeated key \"domain\": expected one domain per rule (write "
                       "one rule per domain)");
    }
    rule_.has_domain = true;
    std::size_t label_pos = pos_;
    while (true) {
      label_pos = pos_;
      if (!parse_label()) return false;
      if (at_end() || peek() != '.') break;
      ++pos_;
    }
    if (rule_.domain.size() > 1 && rule_.domain.back() == "*") {
      return fail(label_pos,
                  "a name as the last label, not '*' (use domain=* to allow every host)");
    }
    return expect_value_end(
        "'.' and another label, or whitespace before the next key (a domain has no port, "
        "scheme, path or list)");
  }

  bool parse_label() {
    if (!at_end() && peek() == '*') {
      ++pos_;
      if (!at_value_end() && peek() != '.') {
        return fail(pos_, "'.' after '*' (a wildcard is a whole label)");
      }
      rule_.domain.emplace_back("*");
      return true;
    }
    const std::size_t start = pos_;
    if (at_end() || !is_alnum(peek())) return fail(pos_, "a domain label (letters, digits, '-')");
    while (!at_end() && is_label_char(peek())) ++pos_;
    if (text_[pos_ - 1] == '-') return fail(pos_ - 1, "a letter or digit at the end of a label");
    rule_.domain.push_back(to_lower(text_.substr(start, pos_ - start)));
    return true;
  }

  bool parse_paths() {
    while (true) {
      if (!parse_path()) return false;
      if (at_end() || peek() != ',') break;
      ++pos_;
    }
    return expect_value_end("',' and another path, or whitespace before the next key");
  }

  bool parse_path() {
    if (at_path_end()) return fail(pos_, "a path (e.g. /api/*); an empty path would allow all");
    PathPattern pattern;
    if (peek() == '/') ++pos_;
    while (!at_path_end()) {
      if (!parse_segment(pattern)) return false;
      if (at_path_end()) break;
      if (peek() != '/') return fail(pos_, "a path character, %XX, '/', ',' or whitespace");
      ++pos_;
    }
    rule_.paths.push_back(std::move(pattern));
    return true;
  }

  bool parse_segment(PathPattern& pattern) {
    if (peek() == '*') {
      ++pos_;
      if (!at_path_end() && peek() != '/') {
        return fail(pos_, "'/' after '*' (a wildcard is a whole segment)");
      }
      pattern.push_back(PathSegment{"", true});
      return true;
    }
    const std::size_t start = pos_;
    std::string literal;
    std::size_t params_at = std::string::npos;
    while (!at_end()) {
      if (peek() == '%') {
        if (!is_escape_at(text_, pos_)) return fail(pos_, "'%' followed by two hex digits");
        literal += decode_escape_at(text_, pos_);
        pos_ += kEscapeLength;
      } else if (is_pchar(peek())) {
        if (peek() == ';' && params_at == std::string::npos) params_at = literal.size();
        literal += peek();
        ++pos_;
      } else {
        break;
      }
    }
    if (pos_ == start) return fail(pos_, "a path segment (empty segments are not allowed)");
    pattern.push_back(PathSegment{std::move(literal), false, params_at});
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Rule rule_;
  bool any_method_ = false;
  bool any_port_ = false;
  std::size_t error_pos_ = 0;
  std::string error_message_;
};

// ---- matching ----------------------------------------------------------------------------

// Host without port, IPv6 brackets and one trailing dot, lower-cased.
std::string normalize_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    host.remove_prefix(1);
    host = host.substr(0, host.find(']'));
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    host = host.substr(0, host.find(':'));
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return to_lower(host);
}

struct NormalizedRequest {
  std::string_view method;
  std::uint16_t port = 0;
  std::vector<std::string> host_labels;
  bool host_well_formed = false;      // no empty label
  std::vector<PathReading> readings;  // empty: the path could not be canonicalized
};

NormalizedRequest normalize(const RequestView& request, const CanonicalTarget* target) {
  NormalizedRequest out;
  out.method = request.method;
  out.port = request.port;
  const std::string host = normalize_host(request.host);
  for (const std::string_view label : split(host, '.')) out.host_labels.emplace_back(label);
  out.host_well_formed = std::none_of(out.host_labels.begin(), out.host_labels.end(),
                                      [](const std::string& l) { return l.empty(); });
  if (target != nullptr) out.readings = target->readings;
  return out;
}

bool method_matches(const Rule& rule, std::string_view method) {
  return rule.methods.empty() ||
         std::find(rule.methods.begin(), rule.methods.end(), method) != rule.methods.end();
}

bool port_matches(const Rule& rule, std::uint16_t port) {
  return rule.ports.empty() ||
         std::find(rule.ports.begin(), rule.ports.end(), port) != rule.ports.end();
}

bool domain_matches(const std::vector<std::string>& pattern, const NormalizedRequest& request) {
  if (pattern.empty() || (pattern.size() == 1 && pattern[0] == "*")) return true;
  const std::vector<std::string>& labels = request.host_labels;
  if (!request.host_well_formed || pattern.size() > labels.size()) return false;
  // Only a leading '*' may stand for more than one label.
  if (pattern.size() < labels.size() && pattern.front() != "*") return false;
  const std::size_t offset = labels.size() - pattern.size();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != "*" && pattern[i] != labels[offset + i]) return false;
  }
  return true;
}

// The pattern as an upstream reading the path this way reads the rule's author: literals cut at
// the first raw ';' (a `%3B` stays), split at '/', empty ones merged, like the request's segments.
PathPattern adapt(const PathPattern& pattern, const PathReading& reading) {
  if (!reading.slash_decoded && !reading.params_stripped && !reading.slashes_merged) {
    return pattern;
  }
  PathPattern out;
  for (const PathSegment& segment : pattern) {
    if (segment.wildcard) {
      out.push_back(segment);
      continue;
    }
    std::string_view literal = segment.literal;
    if (reading.params_stripped) literal = literal.substr(0, segment.params_at);
    if (!reading.slash_decoded) {
      out.push_back(PathSegment{std::string(literal), false});
      continue;
    }
    for (const std::string_view piece : split(literal, '/')) {
      out.push_back(PathSegment{std::string(piece), false});
    }
  }
  if (reading.slashes_merged) {  // as the request's segments: empty ones go, but a last one
    PathPattern merged;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].wildcard || !out[i].literal.empty() || i + 1 == out.size()) {
        merged.push_back(std::move(out[i]));
      }
    }
    return merged;
  }
  return out;
}

bool path_matches(const PathPattern& pattern, const std::vector<std::string>& segments) {
  if (pattern.empty()) return segments.size() == 1 && segments[0].empty();  // root only
  if (pattern.size() > segments.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!pattern[i].wildcard && pattern[i].literal != segments[i]) return false;
  }
  return segments.size() == pattern.size() || pattern.back().wildcard;
}

bool paths_match(const Rule& rule, const PathReading& reading) {
  if (rule.paths.empty()) return true;
  return std::any_of(rule.paths.begin(), rule.paths.end(), [&](const PathPattern& p) {
    return path_matches(adapt(p, reading), reading.segments);
  });
}

bool rule_matches(const Rule& rule, const NormalizedRequest& request, const PathReading& reading) {
  return method_matches(rule, request.method) && port_matches(rule, request.port) &&
         domain_matches(rule.domain, request) && paths_match(rule, reading);
}

int first_rule(const std::vector<Rule>& rules, const NormalizedRequest& request,
               const PathReading& reading) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rule_matches(rules[i], request, reading)) return static_cast<int>(i);
  }
  return -1;
}

// The plain reading's first rule, when every reading has one.
int match_all_readings(const std::vector<Rule>& rules, const NormalizedRequest& request) {
  if (request.readings.empty()) return -1;
  const int plain = first_rule(rules, request, request.readings[0]);
  if (plain < 0) return -1;
  for (std::size_t i = 1; i < request.readings.size(); ++i) {
    if (first_rule(rules, request, request.readings[i]) < 0) return -1;
  }
  return plain;
}

// ---- suggestions -------------------------------------------------------------------------

bool is_valid_label(std::string_view label) {
  return !label.empty() && is_alnum(label.front()) && is_alnum(label.back()) &&
         std::all_of(label.begin(), label.end(), is_label_char);
}

// A domain pattern that matches host; labels no pattern can spell become '*'.
std::string suggest_domain(std::string_view host) {
  const std::string normalized = normalize_host(host);
  if (normalized.find(':') != std::string::npos) return "*";  // IPv6 literal
  std::vector<std::string> labels;
  for (const std::string_view label : split(normalized, '.')) {
    if (label.empty()) return "*";  // only '*' matches a host with an empty label
    labels.emplace_back(is_valid_label(label) ? std::string(label) : std::string("*"));
  }
  if (labels.back() == "*") return "*";
  return join(labels, ".");
}

// A segment of the canonical path as a pattern segment: its escapes kept as they are (so a `%3B`
// stays data and a raw `;` a parameter delimiter, as the request's readings treat them; a `%2F`
// stays one segment), '*' escaped (it would be a wildcard), anything else not a pchar escaped.
std::string encode_segment(std::string_view segment) {
  if (segment.empty()) return "*";  // patterns have no empty segments; '*' covers ""
  std::string out;
  for (const char c : segment) {
    if (c == '%' || (is_pchar(c) && c != '*')) {
      out += c;
    } else {
      append_escape(out, c);
    }
  }
  return out;
}

// The path pattern that allows exactly this canonical path (request_path.h), built from its
// text rather than a decoded reading: decoding loses whether a `;` was sent raw or as `%3B`.
std::string suggest_path(std::string_view canonical_path) {
  if (canonical_path == "/") return "/";
  const std::vector<std::string_view> segments = split(canonical_path.substr(1), '/');
  std::string out;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    // An empty segment inside the path ("//") is gone in the readings that merge slashes: only
    // a trailing wildcard from there on matches every reading.
    if (segments[i].empty() && i + 1 < segments.size()) return out + "/*";
    out += "/" + encode_segment(segments[i]);
  }
  return out;
}

}  // namespace

Result<Rule> parse_rule(std::string_view text) { return RuleParser(text).run(); }

Result<std::vector<Rule>> parse_rules(const std::vector<std::string>& texts) {
  std::vector<Rule> rules;
  rules.reserve(texts.size());
  for (const std::string& text : texts) {
    JK_TRY(Rule rule, parse_rule(text));
    rules.push_back(std::move(rule));
  }
  return rules;
}

int first_match(const std::vector<Rule>& rules, const RequestView& request) {
  const auto judged = judge(rules, request);
  return judged.ok() ? judged->rule : -1;
}

Result<Judgement> judge(const std::vector<Rule>& rules, const RequestView& request) {
  // No path (a CONNECT, a host-only suggestion) is the root.
  JK_TRY(const CanonicalTarget target,
         canonicalize_target(request.path.empty() ? std::string_view("/") : request.path));
  const NormalizedRequest normalized = normalize(request, &target);
  return Judgement{match_all_readings(rules, normalized), target.target()};
}

std::string suggest_rule(std::string_view method, std::string_view host, std::string_view path) {
  std::vector<std::string> keys;
  if (!method.empty() && std::all_of(method.begin(), method.end(), is_tchar)) {
    keys.push_back("method=" + std::string(method));
  }
  if (!normalize_host(host).empty()) keys.push_back("domain=" + suggest_domain(host));
  if (!path.empty()) {
    if (const auto target = canonicalize_target(path); target.ok()) {
      keys.push_back("path=" + suggest_path(target->path));
    }
  }
  if (keys.empty()) return "domain=*";
  return join(keys, " ");
}

}  // namespace jk::launchspec
