#include "launcher/cli/install.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/unit/launcher/temp_dir.h"

namespace jk::launcher::cli {
namespace {

using testing::TempDir;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Install, CopiesAtomicallyAsAnExecutableAndReplacesAnOldCopy) {
  const TempDir dir;
  const std::string source = dir.write("source", std::string(200000, 'x') + "end");
  const std::string target_dir = dir.path() + "/bin";
  std::filesystem::create_directory(target_dir);
  const std::string old = TempDir::write_in(target_dir, "jailkeeper-launch", "old");
  const auto installed = install_binary(source, target_dir);
  ASSERT_TRUE(installed.ok()) << installed.error().message;
  EXPECT_EQ(*installed, old);
  EXPECT_EQ(read_all(*installed), read_all(source));
  struct stat st {};
  ASSERT_EQ(::stat(installed->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777U, 0755U);
  // Nothing left behind but the binary.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(target_dir),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(Install, MissingDirectoryIsAClearError) {
  const TempDir dir;
  const std::string source = dir.write("source", "x");
  const auto installed = install_binary(source, dir.path() + "/missing");
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.error().message,
            "create a temporary file in " + dir.path() + "/missing: No such file or directory");
}

TEST(Install, MissingSourceLeavesNoTemporaryFile) {
  const TempDir dir;
  const auto installed = install_binary(dir.path() + "/nope", dir.path());
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.error().message, "open " + dir.path() + "/nope: No such file or directory");
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace jk::launcher::cli
