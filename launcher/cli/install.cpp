#include "launcher/cli/install.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace jk::launcher::cli {
namespace {

constexpr mode_t kExecutableMode = 0755;
constexpr std::size_t kCopyBufferBytes = 64 * 1024;

// Owns a file descriptor. TODO(issue 5): move to launcher/sys/ with the jail's syscalls.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }
  // Closes now so the error is seen (close can report a deferred write error).
  int close_now() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

Error sys_error(const std::string& what) { return make_error(what + ": " + std::strerror(errno)); }

Status write_all(int fd, const char* data, std::size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("write " + path);
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

Status copy_fd(int from, int to, const std::string& source, const std::string& target) {
  std::vector<char> buffer(kCopyBufferBytes);
  for (;;) {
    const ssize_t n = ::read(from, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read " + source);
    if (n == 0) return {};
    JK_TRY_STATUS(write_all(to, buffer.data(), static_cast<std::size_t>(n), target));
  }
}

Status write_temp(const std::string& source, int temp_fd, const std::string& temp) {
  const Fd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return sys_error("open " + source);
  JK_TRY_STATUS(copy_fd(in.get(), temp_fd, source, temp));
  if (::fchmod(temp_fd, kExecutableMode) != 0) return sys_error("chmod " + temp);
  if (::fsync(temp_fd) != 0) return sys_error("fsync " + temp);
  return {};
}

// Makes the rename durable; a directory that cannot be synced is not an install failure.
void sync_dir(const std::string& dir) {
  const Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.get() >= 0) ::fsync(d.get());
}

}  // namespace

Result<std::string> install_binary(const std::string& source, const std::string& dir) {
  const std::string target = dir + "/" + kInstalledName;
  std::string temp = dir + "/." + kInstalledName + ".XXXXXX";
  Fd out(::mkostemp(temp.data(), O_CLOEXEC));
  if (out.get() < 0) return sys_error("create a temporary file in " + dir);
  Status written = write_temp(source, out.get(), temp);
  if (written.ok() && out.close_now() != 0) written = sys_error("close " + temp);
  if (written.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    written = sys_error("rename " + temp + " to " + target);
  }
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return written.error();
  }
  sync_dir(dir);
  return target;
}

}  // namespace jk::launcher::cli
