#include "launcher/requestlog/request_log.h"

#include <fcntl.h>
#include <unistd.h>

#include "launcher/sys/file_io.h"

namespace jk::launcher::requestlog {
namespace {

constexpr mode_t kAuditFileMode = 0600;

// A failed write is dropped: there is nowhere left to report it.
void write_line(int fd, std::string_view line) {
  std::string with_newline(line);
  with_newline += '\n';
  [[maybe_unused]] const Status written = sys::write_all(fd, with_newline);
}

RequestLog::Sink fd_sink(std::shared_ptr<sys::UniqueFd> fd) {
  return [fd = std::move(fd)](std::string_view line) { write_line(fd->get(), line); };
}

RequestLog::Sink stderr_sink() {
  return [](std::string_view line) { write_line(STDERR_FILENO, line); };
}

}  // namespace

Result<std::string> audit_file_path(const std::string& dir, const std::string& session_id) {
  if (session_id.empty() || session_id.find('/') != std::string::npos || session_id[0] == '.') {
    return make_error("audit: session id \"" + session_id + "\" cannot name a file");
  }
  return dir + "/audit-" + session_id + ".jsonl";
}

RequestLog::RequestLog(log::Level level, Sink sink, std::string path)
    : level_(level), sink_(std::move(sink)), path_(std::move(path)) {}

Result<std::shared_ptr<RequestLog>> RequestLog::open(const RequestLogOptions& options) {
  if (options.log_dir.empty()) {
    return std::shared_ptr<RequestLog>(new RequestLog(options.level, stderr_sink(), ""));
  }
  JK_TRY(const std::string path, audit_file_path(options.log_dir, options.session_id));
  JK_TRY(sys::UniqueFd fd, sys::open_file(path, O_WRONLY | O_CREAT | O_APPEND, kAuditFileMode));
  auto owned = std::make_shared<sys::UniqueFd>(std::move(fd));
  return std::shared_ptr<RequestLog>(
      new RequestLog(options.level, fd_sink(std::move(owned)), path));
}

std::shared_ptr<RequestLog> RequestLog::with_sink(log::Level level, Sink sink) {
  return std::shared_ptr<RequestLog>(new RequestLog(level, std::move(sink), ""));
}

std::uint64_t RequestLog::record(RequestRecord record) {
  record.sequence = next_sequence_.fetch_add(1);
  const bool always = record.decision != Decision::kAllow;
  if (always || level_ <= log::Level::kInfo) {
    const std::string line = render_audit_line(record);
    const std::lock_guard lock(mutex_);
    sink_(line);
  }
  return record.sequence;
}

}  // namespace jk::launcher::requestlog
