#pragma once
// Reads a whole (small) file with open/read: no iostreams, so a forked child may use it. For
// /proc and /sys files, whose size stat() does not tell.
#include <cstddef>
#include <string>

#include "common/result.h"

namespace jk::launcher::sys {

inline constexpr std::size_t kMaxTextFile = 4U << 20U;

// Errors name the path and errno; a file larger than `max` bytes is an error.
Result<std::string> read_text_file(const char* path, std::size_t max = kMaxTextFile);

}  // namespace jk::launcher::sys
