#include "launcher/cli/install.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <vector>

#include "launcher/sys/file_io.h"

namespace jk::launcher::cli {
namespace {

constexpr mode_t kExecutableMode = 0755;
constexpr std::size_t kCopyBufferBytes = 64 * 1024;

Status copy_fd(int from, int to, const std::string& source, const std::string& target) {
  std::vector<char> buffer(kCopyBufferBytes);
  for (;;) {
    auto n = sys::read_some(from, buffer);
    if (!n.ok()) return n.error().wrap(source);
    if (*n == 0) return {};
    if (const Status written = sys::write_all(to, {buffer.data(), *n}); !written) {
      return written.error().wrap(target);
    }
  }
}

Status write_temp(const std::string& source, int temp_fd, const std::string& temp) {
  JK_TRY(const sys::UniqueFd in, sys::open_file(source, O_RDONLY));
  JK_TRY_STATUS(copy_fd(in.get(), temp_fd, source, temp));
  if (const Status mode = sys::set_file_mode(temp_fd, kExecutableMode); !mode) {
    return mode.error().wrap(temp);
  }
  if (const Status synced = sys::sync_file(temp_fd); !synced) return synced.error().wrap(temp);
  return {};
}

// Makes the rename durable; a directory that cannot be synced is not an install failure.
void sync_dir(const std::string& dir) {
  if (auto d = sys::open_file(dir, O_RDONLY | O_DIRECTORY); d.ok()) {
    [[maybe_unused]] const Status synced = sys::sync_file(d->get());
  }
}

}  // namespace

Result<std::string> install_binary(const std::string& source, const std::string& dir) {
  const std::string target = dir + "/" + kInstalledName;
  JK_TRY(sys::TempFile out, sys::make_temp_file(dir, "." + std::string(kInstalledName) + "."));
  const std::string& temp = out.path;
  Status written = write_temp(source, out.fd.get(), temp);
  if (written.ok()) {
    if (const Status closed = sys::close_file(out.fd); !closed) written = closed.error().wrap(temp);
  }
  if (written.ok()) written = sys::rename_file(temp, target);
  if (!written.ok()) {
    sys::remove_file(temp);
    return written.error();
  }
  sync_dir(dir);
  return target;
}

}  // namespace jk::launcher::cli
