#pragma once
// Cheap change detection for watched files: a stat() signature and a content digest.
#include <string>
#include <string_view>

#include "common/result.h"

namespace jk::server {

// "dev:ino:size:mtime_ns" of the file, following symlinks.
Result<std::string> stat_signature(const std::string& path);
// SHA-256 of the bytes, hex-encoded.
std::string sha256_hex(std::string_view bytes);

}  // namespace jk::server
