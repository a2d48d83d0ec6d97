#include "launcher/sys/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "launcher/sys/errno_error.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

Result<std::string> read_text_file(const char* path, std::size_t max) {
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return errno_error(path);
  std::string text;
  constexpr std::size_t kChunk = 4096;
  std::array<char, kChunk> buffer{};
  for (;;) {
    const ssize_t n =
        retry_on_eintr([&] { return ::read(fd.get(), buffer.data(), buffer.size()); });
    if (n < 0) return errno_error(path);
    if (n == 0) return text;
    text.append(buffer.data(), static_cast<std::size_t>(n));
    if (text.size() > max) return make_error(std::string(path) + ": larger than expected");
  }
}

}  // namespace jk::launcher::sys
