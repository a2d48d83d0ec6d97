#include "launcher/sys/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "launcher/sys/errno_error.h"

namespace jk::launcher::sys {

Result<UniqueFd> open_file(const std::string& path, int flags, mode_t mode) {
  UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, mode));
  if (!fd) return errno_error("open " + path);
  return fd;
}

Result<TempFile> make_temp_file(const std::string& dir, std::string_view prefix) {
  TempFile file;
  file.path = dir + "/" + std::string(prefix) + "XXXXXX";
  file.fd.reset(::mkostemp(file.path.data(), O_CLOEXEC));
  if (!file.fd) return errno_error("create a temporary file in " + dir);
  return file;
}

Result<std::string> make_temp_dir(const std::string& dir, std::string_view prefix) {
  std::string path = dir + "/" + std::string(prefix) + "XXXXXX";
  if (::mkdtemp(path.data()) == nullptr) return errno_error("create a directory in " + dir);
  return path;
}

Result<std::size_t> read_some(int fd, std::span<char> buffer) {
  const ssize_t n = retry_on_eintr([&] { return ::read(fd, buffer.data(), buffer.size()); });
  if (n < 0) return errno_error("read");
  return static_cast<std::size_t>(n);
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = retry_on_eintr([&] { return ::write(fd, data.data(), data.size()); });
    if (n < 0) return errno_error("write");
    if (n == 0) return make_error("write: no progress");
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

int write_control_file(const std::string& path, std::string_view content) {
  const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return errno;
  if (::write(fd.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    return errno;
  }
  return 0;
}

Status set_file_mode(int fd, mode_t mode) {
  if (::fchmod(fd, mode) != 0) return errno_error("fchmod");
  return {};
}

Status sync_file(int fd) {
  if (::fsync(fd) != 0) return errno_error("fsync");
  return {};
}

Status close_file(UniqueFd& fd) {
  // close() releases the descriptor even when it fails (EINTR included): never retried.
  if (::close(fd.release()) != 0) return errno_error("close");
  return {};
}

Status rename_file(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return errno_error("rename " + from + " to " + to);
  return {};
}

void remove_file(const std::string& path) { ::unlink(path.c_str()); }

}  // namespace jk::launcher::sys
