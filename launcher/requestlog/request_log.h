#pragma once
// RequestLog: numbers audit records and writes them, one JSON line each, to stderr or to
// `<log_dir>/audit-<session>.jsonl`. Denials and errors are always written; allowed requests
// only when the level is info or debug. Thread-safe.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/log.h"
#include "common/result.h"
#include "launcher/requestlog/request_record.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::requestlog {

struct RequestLogOptions {
  std::string log_dir;     // empty: stderr
  std::string session_id;  // names the file
  log::Level level = log::Level::kWarn;
};

class RequestLog {
 public:
  using Sink = std::function<void(std::string_view line)>;

  // Opens (creates, mode 0600, appends) the file when log_dir is set.
  static Result<std::shared_ptr<RequestLog>> open(const RequestLogOptions& options);
  // For tests: every line (without newline) goes to `sink`.
  static std::shared_ptr<RequestLog> with_sink(log::Level level, Sink sink);

  // Assigns the next sequence number (every record gets one, written or not), then writes.
  // Returns the sequence number.
  std::uint64_t record(RequestRecord record);

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  RequestLog(log::Level level, Sink sink, std::string path);

  log::Level level_;
  Sink sink_;
  std::string path_;
  std::atomic<std::uint64_t> next_sequence_{1};
  std::mutex mutex_;
};

// "<dir>/audit-<session>.jsonl"; a session id with '/' or starting with '.' is rejected.
Result<std::string> audit_file_path(const std::string& dir, const std::string& session_id);

}  // namespace jk::launcher::requestlog
