#include "launcher/requestlog/request_record.h"

#include <cstdio>
#include <ctime>

#include "common/log.h"

namespace jk::launcher::requestlog {
namespace {

constexpr std::int64_t kMillisPerSecond = 1000;
constexpr std::size_t kTimestampCapacity = 32;

void add_string(std::string& out, std::string_view key, std::string_view value) {
  out += ',';
  log::append_json_string(out, key);
  out += ':';
  log::append_json_string(out, value);
}

void add_number(std::string& out, std::string_view key, std::uint64_t value) {
  out += ',';
  log::append_json_string(out, key);
  out += ':';
  out += std::to_string(value);
}

}  // namespace

std::string_view decision_name(Decision decision) {
  switch (decision) {
    case Decision::kAllow:
      return "allow";
    case Decision::kDeny:
      return "deny";
    case Decision::kError:
      return "error";
  }
  return "error";
}

std::string format_rfc3339_ms(std::chrono::system_clock::time_point time) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / kMillisPerSecond);
  std::int64_t fraction = millis % kMillisPerSecond;
  if (fraction < 0) {
    fraction += kMillisPerSecond;
    --seconds;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[kTimestampCapacity];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char millis_text[kTimestampCapacity];
  std::snprintf(millis_text, sizeof millis_text, ".%03dZ", static_cast<int>(fraction));
  return std::string(text, n) + millis_text;
}

std::string render_audit_line(const RequestRecord& record) {
  std::string out = "{\"time\":";
  log::append_json_string(out, format_rfc3339_ms(record.time));
  add_string(out, "session", record.session_id);
  add_number(out, "seq", record.sequence);
  add_string(out, "decision", decision_name(record.decision));
  add_string(out, "method", record.method);
  add_string(out, "url", record.url);
  add_string(out, "host", record.host);
  if (!record.rule.empty()) add_string(out, "rule", record.rule);
  if (record.upstream_status != 0) {
    add_number(out, "upstream_status", static_cast<std::uint64_t>(record.upstream_status));
  }
  add_number(out, "bytes_up", record.bytes_up);
  add_number(out, "bytes_down", record.bytes_down);
  add_number(out, "duration_ms",
             static_cast<std::uint64_t>(record.duration_ms < 0 ? 0 : record.duration_ms));
  add_string(out, "jail", record.jail);
  if (!record.reason.empty()) add_string(out, "reason", record.reason);
  out += '}';
  return out;
}

}  // namespace jk::launcher::requestlog
