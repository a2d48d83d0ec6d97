#pragma once
// Files through their descriptors, for code that must not use iostreams (a forked child) or
// needs what iostreams hide (the errno of a /proc write, fsync, an atomic rename). Every
// descriptor is opened close-on-exec; reads and writes are retried on EINTR; errors name the
// path (or the call) and errno.
#include <sys/types.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

// open(path, flags | O_CLOEXEC, mode). Error: "open <path>: <errno>".
Result<UniqueFd> open_file(const std::string& path, int flags, mode_t mode = 0);
// A new file "<dir>/<prefix>XXXXXX" (mkostemp, O_CLOEXEC, mode 0600).
// Error: "create a temporary file in <dir>: <errno>".
struct TempFile {
  UniqueFd fd;
  std::string path;
};
Result<TempFile> make_temp_file(const std::string& dir, std::string_view prefix);
// A new directory "<dir>/<prefix>XXXXXX" (mkdtemp, mode 0700); its path.
// Error: "create a directory in <dir>: <errno>".
Result<std::string> make_temp_dir(const std::string& dir, std::string_view prefix);

// read(2) once: the byte count, 0 at end of file.
Result<std::size_t> read_some(int fd, std::span<char> buffer);
// write(2) until every byte is written.
Status write_all(int fd, std::string_view data);
// Opens `path` write-only and writes `content` with one write(2), as /proc control files
// (uid_map, setgroups) want it; 0 or the errno, for callers that tell errors apart.
int write_control_file(const std::string& path, std::string_view content);

Status set_file_mode(int fd, mode_t mode);  // fchmod
Status sync_file(int fd);                   // fsync
// Closes now so that a deferred write error is seen (the descriptor is released either way).
Status close_file(UniqueFd& fd);
Status rename_file(const std::string& from, const std::string& to);
// unlink(path); a file that is already gone is no error.
void remove_file(const std::string& path);

}  // namespace jk::launcher::sys
