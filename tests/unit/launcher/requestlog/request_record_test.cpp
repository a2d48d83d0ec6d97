#include "launcher/requestlog/request_record.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace jk::launcher::requestlog {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

TEST(FormatRfc3339Ms, UtcWithMilliseconds) {
  const struct {
    std::int64_t millis;
    const char* text;
  } cases[] = {
      {0, "1970-01-01T00:00:00.000Z"},
      {1'796'031'667'123, "2026-11-30T09:41:07.123Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(format_rfc3339_ms(system_clock::time_point(milliseconds(c.millis))), c.text);
  }
}

RequestRecord sample() {
  RequestRecord r;
  r.time = system_clock::time_point(milliseconds(0));
  r.session_id = "s1";
  r.sequence = 7;
  r.decision = Decision::kAllow;
  r.method = "GET";
  r.url = "https://api.example.com/x?\"q\"";
  r.host = "api.example.com";
  r.rule = "domain=api.example.com";
  r.upstream_status = 200;
  r.bytes_up = 3;
  r.bytes_down = 1024;
  r.duration_ms = 12;
  r.jail = "nsjail";
  return r;
}

TEST(RenderAuditLine, OneJsonObjectWithEveryField) {
  const std::string line = render_audit_line(sample());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json, nlohmann::json::parse(R"({
    "time": "1970-01-01T00:00:00.000Z", "session": "s1", "seq": 7, "decision": "allow",
    "method": "GET", "url": "https://api.example.com/x?\"q\"", "host": "api.example.com",
    "rule": "domain=api.example.com", "upstream_status": 200, "bytes_up": 3,
    "bytes_down": 1024, "duration_ms": 12, "jail": "nsjail"})"));
}

TEST(RenderAuditLine, DenialsHaveNoRuleOrStatusAndErrorsAReason) {
  RequestRecord denied = sample();
  denied.decision = Decision::kDeny;
  denied.rule.clear();
  denied.upstream_status = 0;
  const auto deny_json = nlohmann::json::parse(render_audit_line(denied));
  EXPECT_EQ(deny_json["decision"], "deny");
  EXPECT_FALSE(deny_json.contains("rule"));
  EXPECT_FALSE(deny_json.contains("upstream_status"));
  RequestRecord failed = denied;
  failed.decision = Decision::kError;
  failed.reason = "connect 127.0.0.1:9: Connection refused\n";
  const auto error_json = nlohmann::json::parse(render_audit_line(failed));
  EXPECT_EQ(error_json["decision"], "error");
  EXPECT_EQ(error_json["reason"], "connect 127.0.0.1:9: Connection refused\n");
}

}  // namespace
}  // namespace jk::launcher::requestlog
