// The canonical request target and its readings (launchspec/request_path.h, issue 13): what the
// proxy forwards, what it refuses, and how a rule judges it. Each bypass row was (or is a variant
// of) a way past `path=/api/*` that an upstream normalised to /secret.
#include "launchspec/request_path.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "launchspec/rules.h"

namespace jk::launchspec {
namespace {

struct CanonicalCase {
  std::string target;
  std::string expected;  // canonical target, or "ERROR <substring>"
};

void PrintTo(const CanonicalCase& c, std::ostream* os) { *os << '"' << c.target << '"'; }

class Canonical : public testing::TestWithParam<CanonicalCase> {};

TEST_P(Canonical, IsForwardedAsOrRefused) {
  const auto got = canonicalize_target(GetParam().target);
  const std::string& expected = GetParam().expected;
  if (expected.starts_with("ERROR ")) {
    ASSERT_FALSE(got.ok()) << "forwarded as " << got->target();
    EXPECT_NE(got.error().message.find(expected.substr(6)), std::string::npos)
        << got.error().message;
    return;
  }
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->target(), expected);
  // Idempotent: the forwarded target is its own canonical form.
  const auto again = canonicalize_target(got->target());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->target(), got->target());
}

INSTANTIATE_TEST_SUITE_P(
    Forms, Canonical,
    testing::Values(
        CanonicalCase{"/", "/"}, CanonicalCase{"/api/x?q=%2e%2e/..", "/api/x?q=%2e%2e/.."},
        // RFC 3986 6.2.2.2: unreserved escapes decoded, the others upper-cased.
        CanonicalCase{"/%41%7e%2d/a%2fb%3a", "/A~-/a%2Fb%3A"},
        // RFC 3986 5.2.4: dot segments removed, raw or encoded, in any case and mix.
        CanonicalCase{"/api/../secret", "/secret"}, CanonicalCase{"/api/%2e%2e/secret", "/secret"},
        CanonicalCase{"/api/%2E%2E/secret", "/secret"},
        CanonicalCase{"/api/.%2E/secret", "/secret"}, CanonicalCase{"/api/%2e./secret", "/secret"},
        CanonicalCase{"/api/x/../../secret", "/secret"}, CanonicalCase{"/api/./x/.", "/api/x/"},
        CanonicalCase{"/../../secret", "/secret"}, CanonicalCase{"/api//../secret", "/api/secret"},
        CanonicalCase{"/api/%2e", "/api/"}, CanonicalCase{"/api;x=1/../secret", "/secret"},
        CanonicalCase{"/api/..%3B/x", "ERROR escapes are decoded and ';parameters' cut"},
        CanonicalCase{"/api/x%2F..%3Bv=1/y", "ERROR decoded and ';parameters' cut"},
        CanonicalCase{"/api/a%3Bb/x", "/api/a%3Bb/x"}, CanonicalCase{"/caf%C3%A9", "/caf%C3%A9"},
        // Refused: no single reading.
        CanonicalCase{"/api%2F..%2Fsecret", "ERROR %2F is read as '/'"},
        CanonicalCase{"/api/x%2F%2E%2E%2Fsecret", "ERROR %2F is read as '/'"},
        CanonicalCase{"/api/..;/secret", "ERROR ';parameters' are cut"},
        CanonicalCase{"/api/%2e%2e;x=1/secret", "ERROR ';parameters' are cut"},
        CanonicalCase{"/api/.;/x", "ERROR ';parameters' are cut"},
        CanonicalCase{"/api/%252e%252e/secret", "ERROR double percent-encoding"},
        CanonicalCase{"/api/%25%32%65", "ERROR double percent-encoding"},
        CanonicalCase{"/api\\..\\secret", "ERROR '\\'"},
        CanonicalCase{"/api/%5C..%5Csecret", "ERROR %5C"}, CanonicalCase{"/api/%5c", "ERROR %5C"},
        CanonicalCase{"/api/%00/x", "ERROR control character %00"},
        CanonicalCase{"/api/%0a", "ERROR control character"},
        CanonicalCase{"/api/%7F", "ERROR control character"},
        CanonicalCase{"/api/%C0%AE%C0%AE/secret", "ERROR not UTF-8"},
        CanonicalCase{"/api/%ED%A0%80", "ERROR not UTF-8"},
        CanonicalCase{"/api/%FF", "ERROR not UTF-8"},
        CanonicalCase{"/api/%EF%BC%8E%EF%BC%8E/secret", "ERROR Unicode normalization"},
        CanonicalCase{"/api%EF%BC%8Fsecret", "ERROR Unicode normalization"},
        CanonicalCase{"/api/%zz", "ERROR malformed percent-escape"},
        CanonicalCase{"/api/%2", "ERROR malformed percent-escape"},
        CanonicalCase{"/api/%u002e%u002e", "ERROR malformed percent-escape"},
        CanonicalCase{"/api/x#frag", "ERROR fragment"}, CanonicalCase{"api/x", "ERROR start with"},
        CanonicalCase{"/a b", "ERROR byte %20"}, CanonicalCase{"/a\xC3\xA9", "ERROR byte %C3"}));

std::vector<std::vector<std::string>> distinct_segments(const CanonicalTarget& t) {
  std::vector<std::vector<std::string>> out;
  for (const PathReading& r : t.readings) {
    if (std::find(out.begin(), out.end(), r.segments) == out.end()) out.push_back(r.segments);
  }
  return out;
}

TEST(Readings, APlainPathHasOneReading) {
  const auto t = canonicalize_target("/api/v1/items");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->readings.size(), 8U);
  EXPECT_EQ(distinct_segments(*t), (std::vector<std::vector<std::string>>{{"api", "v1", "items"}}));
}

TEST(Readings, EncodedSlashParametersAndDoubleSlashesEachAddAReading) {
  const auto t = canonicalize_target("/a%2Fb;p=1//c/");
  ASSERT_TRUE(t.ok());
  const auto got = distinct_segments(*t);
  using S = std::vector<std::string>;
  for (const S& expected : {S{"a/b;p=1", "", "c", ""}, S{"a", "b;p=1", "", "c", ""},
                            S{"a/b", "", "c", ""}, S{"a", "b", "", "c", ""}, S{"a/b;p=1", "c", ""},
                            S{"a", "b;p=1", "c", ""}, S{"a/b", "c", ""}, S{"a", "b", "c", ""}}) {
    EXPECT_NE(std::find(got.begin(), got.end(), expected), got.end())
        << testing::PrintToString(expected);
  }
  EXPECT_EQ(t->readings[0].segments, (S{"a/b;p=1", "", "c", ""}));  // the plain reading first
}

// ---- judged by rules: allowed only when every reading is ------------------------------------

struct JudgeCase {
  std::vector<std::string> rules;
  std::string path;
  int expected;  // rule index, -1 denied, -2 refused (400)
};

void PrintTo(const JudgeCase& c, std::ostream* os) { *os << '"' << c.path << '"'; }

class Judged : public testing::TestWithParam<JudgeCase> {};

TEST_P(Judged, AsEveryUpstreamWouldRead) {
  const auto rules = parse_rules(GetParam().rules);
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  const auto got = judge(*rules, {"GET", "example.com", GetParam().path, 443});
  if (GetParam().expected == -2) {
    EXPECT_FALSE(got.ok());
    EXPECT_EQ(first_match(*rules, {"GET", "example.com", GetParam().path, 443}), -1);
    return;
  }
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->rule, GetParam().expected);
  EXPECT_EQ(first_match(*rules, {"GET", "example.com", GetParam().path, 443}), GetParam().expected);
}

const std::vector<std::string> kApi = {"path=/api/*"};

INSTANTIATE_TEST_SUITE_P(
    Bypasses, Judged,
    testing::Values(
        JudgeCase{kApi, "/api/x", 0}, JudgeCase{kApi, "/api/", 0},
        JudgeCase{kApi, "/api/../secret", -1}, JudgeCase{kApi, "/api/%2e%2e/secret", -1},
        JudgeCase{kApi, "/api/%2E%2e/secret", -1}, JudgeCase{kApi, "/api/x/../../secret", -1},
        JudgeCase{kApi, "/api/./../secret", -1}, JudgeCase{kApi, "/api/x/..", 0},
        JudgeCase{kApi, "/api/..", -1}, JudgeCase{kApi, "/api%2F..%2Fsecret", -2},
        JudgeCase{kApi, "/api/..;/secret", -2}, JudgeCase{kApi, "/api/%252e%252e/secret", -2},
        JudgeCase{kApi, "/api\\..\\secret", -2}, JudgeCase{kApi, "/api/x?../../secret", 0},
        // A middle wildcard is one segment in every reading: %2F, ;params and // cannot stretch it.
        JudgeCase{{"path=/repos/*/readme"}, "/repos/a/readme", 0},
        JudgeCase{{"path=/repos/*/readme"}, "/repos/a%2Fsecret/readme", -1},
        JudgeCase{{"path=/repos/*/readme"}, "/repos/a;x/readme", 0},
        JudgeCase{{"path=/a/*/c"}, "/a//c", -1},
        JudgeCase{{"path=/admin/*", "path=/public/*"}, "/public;/../admin/x", 0},
        JudgeCase{{"path=/public/*"}, "/public;/../admin/x", -1},
        // An encoded slash inside a trailing wildcard stays allowed (GitLab project ids).
        JudgeCase{{"path=/api/v4/projects/*"}, "/api/v4/projects/group%2Fproject/issues", 0},
        // A rule that spells %2F itself matches in the readings that split on it too.
        JudgeCase{{"path=/api/v4/projects/group%2Fproject"}, "/api/v4/projects/group%2Fproject", 0},
        JudgeCase{{"path=/api/v4/projects/group%2Fproject"}, "/api/v4/projects/group/project", -1},
        // Parameters are cut by some upstreams: the rule's own literal is read the same way.
        JudgeCase{{"path=/file;v=1"}, "/file;v=1", 0},
        JudgeCase{{"path=/file;v=1"}, "/file;v=2", -1}));

TEST(PortRule, LimitsARuleToItsPorts) {
  const auto rules = parse_rules({"domain=example.com port=443,8443", "domain=other.com port=*"});
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(first_match(*rules, {"GET", "example.com", "/", 443}), 0);
  EXPECT_EQ(first_match(*rules, {"GET", "example.com", "/", 8443}), 0);
  EXPECT_EQ(first_match(*rules, {"GET", "example.com", "/", 22}), -1);
  EXPECT_EQ(first_match(*rules, {"GET", "example.com", "/", 0}), -1);  // unknown port
  EXPECT_EQ(first_match(*rules, {"GET", "other.com", "/", 22}), 1);
  for (const char* bad : {"port=", "port=0", "port=65536", "port=80,", "port=8o", "port=-1",
                          "port=080000", "port=443 port=x"}) {
    EXPECT_FALSE(parse_rule(bad).ok()) << bad;
  }
  const auto repeated = parse_rule("domain=a.com port=80 port=443,80");
  ASSERT_TRUE(repeated.ok());
  EXPECT_EQ(repeated->ports, (std::vector<std::uint16_t>{80, 443}));
}

}  // namespace
}  // namespace jk::launchspec
