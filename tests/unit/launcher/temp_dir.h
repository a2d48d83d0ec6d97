#pragma once
// A fresh directory under $TMPDIR for one test, removed with everything in it afterwards.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace jk::launcher::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "jk-launcher-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) != nullptr ? tmpl : std::string();
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] const std::string& path() const { return path_; }
  // Writes name with content; returns its path.
  [[nodiscard]] std::string write(const std::string& name, const std::string& content) const {
    return write_in(path_, name, content);
  }
  static std::string write_in(const std::string& dir, const std::string& name,
                              const std::string& content) {
    const std::string p = dir + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::string path_;
};

}  // namespace jk::launcher::testing
