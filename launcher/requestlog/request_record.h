#pragma once
// One audited proxy request and its JSON line (pure; the sink is RequestLog).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace jk::launcher::requestlog {

enum class Decision { kAllow, kDeny, kError };

std::string_view decision_name(Decision decision);

struct RequestRecord {
  std::chrono::system_clock::time_point time{};  // when the request head arrived
  std::string session_id;
  std::uint64_t sequence = 0;  // assigned by RequestLog::record, 1-based per log
  Decision decision = Decision::kError;
  std::string method;
  std::string url;               // scheme://host[:port]/path?query as the proxy understood it
  std::string host;              // the host the request was judged by (no port)
  std::string rule;              // text of the matching rule; empty when none matched
  int upstream_status = 0;       // 0: no upstream response
  std::uint64_t bytes_up = 0;    // request body bytes sent upstream
  std::uint64_t bytes_down = 0;  // response body bytes sent to the client
  std::int64_t duration_ms = 0;
  std::string jail;
  std::string reason;  // why, for errors (e.g. "connect 127.0.0.1:9: Connection refused")
};

// "2026-11-29T09:41:07.123Z" (UTC, milliseconds).
std::string format_rfc3339_ms(std::chrono::system_clock::time_point time);

// One JSON object, one line, no trailing newline. Empty rule/reason and a zero upstream status
// are left out.
std::string render_audit_line(const RequestRecord& record);

}  // namespace jk::launcher::requestlog
