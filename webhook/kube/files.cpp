#include "webhook/kube/files.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/strings.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {

Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("file " + path + ": " + std::strerror(errno));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return make_error("file " + path + ": read failed");
  return contents.str();
}

std::string resolve_path(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

std::string directory_of(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

Result<std::string> read_token_file(const std::string& path) {
  JK_TRY(const std::string contents, read_whole_file(path));
  std::string_view token = contents;
  while (!token.empty() && (std::isspace(static_cast<unsigned char>(token.back())) != 0)) {
    token.remove_suffix(1);
  }
  if (token.empty()) return make_error("file " + path + ": token is empty");
  return std::string(token);
}

}  // namespace jk::kube
