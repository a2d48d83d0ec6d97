// Boundary-compatible allow rules: grammar, matching, and the deliberate differences listed in
// BOUNDARY-COMPAT.md. Each table row is one sentence of that document.
#include "launchspec/rules.h"

#include "launchspec/request_path.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace jk::launchspec {
namespace {

// A compact rendering of what a rule constrains, for table comparisons.
std::string canonical(const Rule& rule) {
  std::string out = "methods=";
  for (const auto& m : rule.methods) out += m + ";";
  out += " domain=";
  for (const auto& l : rule.domain) out += l + ";";
  out += " paths=";
  for (const auto& p : rule.paths) {
    out += "[";
    for (const auto& s : p) out += s.wildcard ? "<*>/" : s.literal + "/";
    out += "]";
  }
  return out;
}

struct AcceptCase {
  std::string text;
  std::string expected;  // canonical(rule)
};

void PrintTo(const AcceptCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class ParseAccepts : public testing::TestWithParam<AcceptCase> {};

TEST_P(ParseAccepts, ParsesTo) {
  const auto rule = parse_rule(GetParam().text);
  ASSERT_TRUE(rule.ok()) << rule.error().message;
  EXPECT_EQ(canonical(*rule), GetParam().expected);
  EXPECT_EQ(rule->text, GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, ParseAccepts,
    testing::Values(
        AcceptCase{"domain=github.com", "methods= domain=github;com; paths="},
        AcceptCase{"method=GET", "methods=GET; domain= paths="},
        AcceptCase{"path=/api", "methods= domain= paths=[api/]"},
        AcceptCase{"method=GET,HEAD domain=github.com path=/wibble/wobble",
                   "methods=GET;HEAD; domain=github;com; paths=[wibble/wobble/]"},
        // Pairs are separated by any whitespace; trailing whitespace is fine.
        AcceptCase{"method=GET\tdomain=a.com\npath=/x  ", "methods=GET; domain=a;com; paths=[x/]"},
        // Methods: RFC 7230 tokens, case kept, '*' means any (stored as no constraint).
        AcceptCase{"method=get", "methods=get; domain= paths="},
        AcceptCase{"method=M-SEARCH,X_Y!#$%&'+.^`|~",
                   "methods=M-SEARCH;X_Y!#$%&'+.^`|~; domain= paths="},
        AcceptCase{"method=*", "methods= domain= paths="},
        AcceptCase{"method=GET,*", "methods= domain= paths="},
        // Repeated method and path keys union their lists.
        AcceptCase{"method=GET method=POST,GET", "methods=GET;POST; domain= paths="},
        AcceptCase{"path=/a path=/b,/c", "methods= domain= paths=[a/][b/][c/]"},
        // Domains: labels lower-cased, '*' labels, digits, punycode, IPv4 literals.
        AcceptCase{"domain=*", "methods= domain=*; paths="},
        AcceptCase{"domain=GitHub.COM", "methods= domain=github;com; paths="},
        AcceptCase{"domain=*.github.com", "methods= domain=*;github;com; paths="},
        AcceptCase{"domain=api.*.example.com", "methods= domain=api;*;example;com; paths="},
        AcceptCase{"domain=xn--bcher-kva.example", "methods= domain=xn--bcher-kva;example; paths="},
        AcceptCase{"domain=a-b.c0", "methods= domain=a-b;c0; paths="},
        AcceptCase{"domain=10.0.0.1", "methods= domain=10;0;0;1; paths="},
        AcceptCase{"domain=localhost", "methods= domain=localhost; paths="},
        // Paths: leading '/' optional, trailing '/' ignored, '*' only as a whole segment.
        AcceptCase{"path=api/v1", "methods= domain= paths=[api/v1/]"},
        AcceptCase{"path=/api/", "methods= domain= paths=[api/]"},
        AcceptCase{"path=/api/*", "methods= domain= paths=[api/<*>/]"},
        AcceptCase{"path=/*/users", "methods= domain= paths=[<*>/users/]"},
        AcceptCase{"path=*", "methods= domain= paths=[<*>/]"},
        AcceptCase{"path=/user*", "methods= domain= paths=[user*/]"},
        AcceptCase{"path=/a%20b/%2A", "methods= domain= paths=[a b/*/]"},
        AcceptCase{"path=/a:b@c;d=e!$&'()+~._-", "methods= domain= paths=[a:b@c;d=e!$&'()+~._-/]"},
        // path=/ is the root path only (an empty pattern), not "anything".
        AcceptCase{"path=/", "methods= domain= paths=[]"},
        AcceptCase{"path=/,/api", "methods= domain= paths=[][api/]"}));

struct RejectCase {
  std::string text;
  std::size_t column;    // 1-based column named in the message
  std::string expected;  // substring of the message
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class ParseRejects : public testing::TestWithParam<RejectCase> {};

TEST_P(ParseRejects, WithColumnAndExpectation) {
  const auto rule = parse_rule(GetParam().text);
  ASSERT_FALSE(rule.ok()) << GetParam().text << " parsed";
  const std::string& message = rule.error().message;
  EXPECT_NE(message.find("column " + std::to_string(GetParam().column) + ":"), std::string::npos)
      << message;
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
  EXPECT_NE(message.find("expected"), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, ParseRejects,
    testing::Values(
        // Deliberate difference 1: rules that constrain nothing are errors.
        RejectCase{"", 1, "unexpected end of rule: expected a key"},
        RejectCase{"path=", 6, "unexpected end of rule: expected a path"},
        RejectCase{"path=/a,", 9, "unexpected end of rule: expected a path"},
        RejectCase{"path=/a, path=/b", 9, "unexpected ' ': expected a path"},
        // Keys.
        RejectCase{" domain=a.com", 1, "unexpected ' ': expected a key"},
        RejectCase{"host=a.com", 1, "unknown key \"host\""},
        RejectCase{"Domain=a.com", 1, "unknown key \"Domain\""},
        RejectCase{"domain a.com", 7, "unexpected ' ': expected '=' after \"domain\""},
        RejectCase{"domain=a.com,", 13, "unexpected ','"},
        RejectCase{"=GET", 1, "unexpected '=': expected a key"},
        // Methods: no spaces in lists, no empty entries, tokens only.
        RejectCase{"method=GET, POST", 12, "unexpected ' ': expected an HTTP method token"},
        RejectCase{"method=", 8, "unexpected end of rule: expected an HTTP method token"},
        RejectCase{"method=GET,", 12, "expected an HTTP method token"},
        RejectCase{"method=GET/", 11, "unexpected '/'"},
        RejectCase{"method=G\"ET", 9, "unexpected '\"'"},
        // Domains.
        RejectCase{"domain=", 8, "expected a domain label"},
        RejectCase{"domain=github.com:443", 18, "unexpected ':'"},
        RejectCase{"domain=github.com.", 19, "unexpected end of rule: expected a domain label"},
        RejectCase{"domain=my_host.com", 10, "unexpected '_'"},
        RejectCase{"domain=b\xC3\xBC"
                   "cher.de",
                   9, "unexpected '\\xC3'"},
        RejectCase{"domain=*foo.com", 9, "unexpected 'f': expected '.' after '*'"},
        RejectCase{"domain=github.*", 15, "unexpected '*': expected a name as the last label"},
        RejectCase{"domain=*.*", 10, "last label"},
        RejectCase{"domain=-a.com", 8, "unexpected '-': expected a domain label"},
        RejectCase{"domain=a-.com", 9, "unexpected '-': expected a letter or digit"},
        RejectCase{"domain=a..com", 10, "unexpected '.': expected a domain label"},
        RejectCase{"domain=https://a.com", 13, "unexpected ':'"},
        RejectCase{"domain=a.com/path", 13, "unexpected '/'"},
        // Deliberate difference 3: one domain per rule.
        RejectCase{"domain=a.com domain=b.com", 14,
                   "unexpected repeated key \"domain\": expected one domain"},
        // Paths.
        RejectCase{"path=/*abc", 8, "unexpected 'a': expected '/' after '*'"},
        RejectCase{"path=/a//b", 9, "unexpected '/': expected a path segment"},
        RejectCase{"path=/a?q=1", 8, "unexpected '?'"},
        RejectCase{"path=/a%2", 8, "unexpected '%': expected '%' followed by two hex digits"},
        RejectCase{"path=/a%zz", 8, "two hex digits"},
        RejectCase{"path=/a\"b", 8, "unexpected '\"'"},
        // Values and keys must be separated by whitespace; '\r' is not a separator.
        RejectCase{"domain=a.com\rpath=/", 13, "unexpected '\\r'"}));

TEST(ParseRule, MessageQuotesTheRule) {
  const auto rule = parse_rule("method=GET, POST");
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(rule.error().message.rfind("rule \"method=GET, POST\": column 12: unexpected ' '", 0),
            0u)
      << rule.error().message;
}

TEST(ParseRules, KeepsOrderAndStopsAtFirstError) {
  const auto ok = parse_rules({"domain=a.com", "domain=b.com method=GET"});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].text, "domain=b.com method=GET");
  const auto bad = parse_rules({"domain=a.com", "domain=b.com:80", "x"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("domain=b.com:80"), std::string::npos);
}

struct MatchCase {
  std::string name;
  std::vector<std::string> rules;
  std::string method;
  std::string host;
  std::string path;
  int expected;  // index of the first matching rule, -1 = deny
};

class Matches : public testing::TestWithParam<MatchCase> {};

TEST_P(Matches, FirstMatchingRule) {
  const MatchCase& c = GetParam();
  const auto rules = parse_rules(c.rules);
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(first_match(*rules, RequestView{c.method, c.host, c.path}), c.expected);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Matching, Matches,
    testing::Values(
        // Rules in order, first wins; no match or no rules: deny.
        MatchCase{"first_rule_wins", {"domain=a.com", "domain=*"}, "GET", "a.com", "/", 0},
        MatchCase{"later_rule", {"domain=a.com", "domain=*"}, "GET", "b.com", "/", 1},
        MatchCase{"all_keys_must_match", {"domain=a.com method=POST"}, "GET", "a.com", "/", -1},
        MatchCase{"empty_list_denies", {}, "GET", "a.com", "/", -1},
        MatchCase{"no_match_denies", {"domain=a.com"}, "GET", "b.com", "/", -1},
        // Methods: exact, case-sensitive, or '*'.
        MatchCase{"method_exact", {"method=GET,HEAD"}, "HEAD", "a.com", "/", 0},
        MatchCase{"method_case_sensitive", {"method=GET"}, "get", "a.com", "/", -1},
        MatchCase{"method_star", {"method=*"}, "PROPFIND", "a.com", "/", 0},
        MatchCase{"method_union", {"method=GET method=POST"}, "POST", "a.com", "/", 0},
        // Domains: right-aligned labels.
        MatchCase{"domain_exact", {"domain=github.com"}, "GET", "github.com", "/", 0},
        MatchCase{"domain_no_subdomain", {"domain=github.com"}, "GET", "api.github.com", "/", -1},
        MatchCase{"domain_pattern_longer", {"domain=api.github.com"}, "GET", "github.com", "/", -1},
        MatchCase{"domain_other_tld", {"domain=github.com"}, "GET", "github.org", "/", -1},
        MatchCase{"domain_suffix_not_label", {"domain=hub.com"}, "GET", "github.com", "/", -1},
        MatchCase{"leading_star_one", {"domain=*.github.com"}, "GET", "api.github.com", "/", 0},
        MatchCase{"leading_star_many", {"domain=*.github.com"}, "GET", "v1.api.github.com", "/", 0},
        MatchCase{"leading_star_not_apex", {"domain=*.github.com"}, "GET", "github.com", "/", -1},
        MatchCase{"middle_star_one", {"domain=api.*.com"}, "GET", "api.x.com", "/", 0},
        MatchCase{"middle_star_not_two", {"domain=api.*.com"}, "GET", "api.x.y.com", "/", -1},
        MatchCase{"middle_star_not_zero", {"domain=api.*.com"}, "GET", "api.com", "/", -1},
        MatchCase{"port_stripped", {"domain=github.com"}, "GET", "github.com:443", "/", 0},
        MatchCase{"star_all", {"domain=*"}, "GET", "anything.example", "/", 0},
        MatchCase{"star_ipv4", {"domain=*"}, "GET", "10.1.2.3:8080", "/", 0},
        MatchCase{"star_ipv6", {"domain=*"}, "GET", "[2001:db8::1]:443", "/", 0},
        MatchCase{"ipv4_four_labels", {"domain=10.1.2.3"}, "GET", "10.1.2.3", "/", 0},
        MatchCase{"ipv4_star_label", {"domain=*.2.3"}, "GET", "10.1.2.3", "/", 0},
        MatchCase{"ipv6_brackets", {"domain=github.com"}, "GET", "[::1]:443", "/", -1},
        MatchCase{"empty_host_label", {"domain=*.github.com"}, "GET", ".github.com", "/", -1},
        // Deliberate difference 2: case-insensitive hosts, one trailing dot ignored.
        MatchCase{"host_case", {"domain=github.com"}, "GET", "GitHub.COM", "/", 0},
        MatchCase{"pattern_case", {"domain=GitHub.com"}, "GET", "github.com", "/", 0},
        MatchCase{"trailing_dot", {"domain=github.com"}, "GET", "GitHub.com.", "/", 0},
        MatchCase{"trailing_dot_port", {"domain=github.com"}, "GET", "github.com.:443", "/", 0},
        MatchCase{"two_trailing_dots", {"domain=github.com"}, "GET", "github.com..", "/", -1},
        // Paths: decoded, split on '/', '*' segments.
        MatchCase{"path_exact", {"path=/api"}, "GET", "a.com", "/api", 0},
        MatchCase{"path_no_subpath", {"path=/api"}, "GET", "a.com", "/api/users", -1},
        MatchCase{"path_trailing_slash_request", {"path=/api"}, "GET", "a.com", "/api/", -1},
        MatchCase{"path_trailing_slash_pattern", {"path=/api/"}, "GET", "a.com", "/api", 0},
        MatchCase{"path_pattern_longer", {"path=/api/v1"}, "GET", "a.com", "/api", -1},
        MatchCase{"tail_star_one", {"path=/api/*"}, "GET", "a.com", "/api/x", 0},
        MatchCase{"tail_star_many", {"path=/api/*"}, "GET", "a.com", "/api/x/y", 0},
        MatchCase{"tail_star_empty", {"path=/api/*"}, "GET", "a.com", "/api/", 0},
        MatchCase{"tail_star_not_bare", {"path=/api/*"}, "GET", "a.com", "/api", -1},
        MatchCase{"middle_star", {"path=/api/*/users"}, "GET", "a.com", "/api/v1/users", 0},
        MatchCase{"middle_star_one_segment", {"path=/api/*/users"}, "GET", "a.com", "/api/v1/v2/users", -1},
        // Deliberate difference 5 (issue 13): the canonical path is judged, dot segments removed
        // (boundary compares them as literal segments); see request_path_test.cpp.
        MatchCase{"dotdot_removed_first", {"path=/api/*/users"}, "GET", "a.com", "/api/../admin/users", -1},
        MatchCase{"dotdot_resolved", {"path=/api/v1"}, "GET", "a.com", "/api/x/../v1", 0},
        MatchCase{"query_ignored", {"path=/search"}, "GET", "a.com", "/search?q=1/2", 0},
        // A request target has no fragment: refused (the proxy answers 400).
        MatchCase{"fragment_refused", {"path=/doc"}, "GET", "a.com", "/doc#top", -1},
        MatchCase{"pattern_and_request_decoded", {"path=/a%20b"}, "GET", "a.com", "/a%20b", 0},
        MatchCase{"escape_case", {"path=/%7Euser"}, "GET", "a.com", "/~user", 0},
        // %2F is one segment to some upstreams and a separator to others: allowed only when both
        // readings are (boundary decodes before splitting).
        MatchCase{"encoded_slash_is_ambiguous", {"path=/a/b"}, "GET", "a.com", "/a%2Fb", -1},
        MatchCase{"encoded_slash_under_a_wildcard", {"path=/a/*"}, "GET", "a.com", "/a/b%2Fc", 0},
        MatchCase{"star_literal_in_segment", {"path=/user*"}, "GET", "a.com", "/users", -1},
        MatchCase{"star_literal_exact", {"path=/user*"}, "GET", "a.com", "/user*", 0},
        MatchCase{"escaped_star_is_literal", {"path=/%2A"}, "GET", "a.com", "/x", -1},
        MatchCase{"bad_escape_never_matches", {"path=/*"}, "GET", "a.com", "/%zz", -1},
        // A malformed escape is refused even by a rule without a path (the proxy answers 400).
        MatchCase{"bad_escape_refused_without_path", {"domain=a.com"}, "GET", "a.com", "/%zz", -1},
        MatchCase{"path_list_any", {"path=/a,/b"}, "GET", "a.com", "/b", 0},
        MatchCase{"path_star_root", {"path=/*"}, "GET", "a.com", "/", 0},
        MatchCase{"relative_pattern", {"path=api"}, "GET", "a.com", "/api", 0},
        // Deliberate difference 4: path=/ is the root only.
        MatchCase{"root_matches_root", {"path=/"}, "GET", "a.com", "/", 0},
        MatchCase{"root_with_query", {"path=/"}, "GET", "a.com", "/?x=1", 0},
        MatchCase{"root_not_everything", {"path=/"}, "GET", "a.com", "/api", -1},
        // All keys together.
        MatchCase{"all_three", {"method=GET,HEAD domain=github.com path=/wibble/wobble"}, "GET",
                  "github.com", "/wibble/wobble", 0},
        MatchCase{"all_three_wrong_path", {"method=GET domain=github.com path=/x"}, "GET",
                  "github.com", "/y", -1}),
    [](const testing::TestParamInfo<MatchCase>& param_info) { return param_info.param.name; });
// clang-format on

struct SuggestCase {
  std::string method;
  std::string host;
  std::string path;
  std::string expected;
};

void PrintTo(const SuggestCase& c, std::ostream* os) {
  *os << c.method << ' ' << c.host << ' ' << c.path;
}

class Suggests : public testing::TestWithParam<SuggestCase> {};

TEST_P(Suggests, AValidRuleThatAllowsTheRequest) {
  const SuggestCase& c = GetParam();
  const std::string text = suggest_rule(c.method, c.host, c.path);
  EXPECT_EQ(text, c.expected);
  const auto rule = parse_rule(text);
  ASSERT_TRUE(rule.ok()) << rule.error().message;
  // A path that cannot be judged (the proxy answers 400) is allowed by no rule.
  const int expected = canonicalize_target(c.path.empty() ? "/" : c.path).ok() ? 0 : -1;
  EXPECT_EQ(first_match({*rule}, RequestView{c.method, c.host, c.path}), expected) << text;
}

INSTANTIATE_TEST_SUITE_P(
    SuggestRule, Suggests,
    testing::Values(
        SuggestCase{"GET", "api.github.com", "/repos/x",
                    "method=GET domain=api.github.com path=/repos/x"},
        SuggestCase{"POST", "GitHub.com.:443", "/", "method=POST domain=github.com path=/"},
        SuggestCase{"GET", "a.com", "/api/?q=1", "method=GET domain=a.com path=/api/*"},
        SuggestCase{"GET", "a.com", "/a%20b/c,d/*",
                    "method=GET domain=a.com path=/a%20b/c%2Cd/%2A"},
        // "//" is one segment fewer where slashes merge: a trailing wildcard covers both.
        SuggestCase{"GET", "a.com", "/a//b", "method=GET domain=a.com path=/a/*"},
        SuggestCase{"GET", "a.com", "/%zz", "method=GET domain=a.com"},
        SuggestCase{"GET", "my_host.example.com", "/", "method=GET domain=*.example.com path=/"},
        SuggestCase{"GET", "[2001:db8::1]:443", "/", "method=GET domain=* path=/"},
        SuggestCase{"GET", "10.0.0.1:8080", "/x", "method=GET domain=10.0.0.1 path=/x"},
        SuggestCase{"CONNECT", "a.com:443", "", "method=CONNECT domain=a.com"},
        SuggestCase{"G ET", "a.com", "/", "domain=a.com path=/"},
        // A `;` sent as %3B is data, a raw one cuts parameters (Tomcat): the suggestion keeps
        // them apart (rules_fuzz found "/a1:%3B:" suggested as a rule that did not allow it).
        SuggestCase{"GET", "a.com", "/a%3Bb;c", "method=GET domain=a.com path=/a%3Bb;c"},
        SuggestCase{"", "", "/a1:%3B:", "path=/a1:%3B:"}));

TEST(PathRule, AnEscapedSemicolonIsDataARawOneCutsParameters) {
  const auto encoded = parse_rule("path=/a%3Bb");
  const auto raw = parse_rule("path=/a;b");
  ASSERT_TRUE(encoded.ok() && raw.ok());
  // Each allows its own request in every reading...
  EXPECT_EQ(first_match({*encoded}, RequestView{"GET", "a.com", "/a%3Bb"}), 0);
  EXPECT_EQ(first_match({*encoded}, RequestView{"GET", "a.com", "/a%3bb"}), 0);
  EXPECT_EQ(first_match({*raw}, RequestView{"GET", "a.com", "/a;b"}), 0);
  // ...and not the other's: an upstream that cuts `;parameters` reads "/a;b" as "/a", and
  // "/a%3Bb" as "/a;b".
  EXPECT_EQ(first_match({*encoded}, RequestView{"GET", "a.com", "/a;b"}), -1);
  EXPECT_EQ(first_match({*raw}, RequestView{"GET", "a.com", "/a%3Bb"}), -1);
}

TEST(SuggestRule, NothingKnownStillValid) {
  const std::string text = suggest_rule("", "", "");
  EXPECT_TRUE(parse_rule(text).ok()) << text;
}

}  // namespace
}  // namespace jk::launchspec
