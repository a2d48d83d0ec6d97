// Files through descriptors: whole writes, reads to the end, close-on-exec, errors that name the
// path, temporary files and directories, /proc-style control writes that return the errno.
#include "launcher/sys/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/unit/launcher/temp_dir.h"

namespace jk::launcher::sys {
namespace {

using jk::launcher::testing::TempDir;

std::string read_to_end(int fd) {
  std::string out;
  std::array<char, 7> buffer{};  // small: several reads
  for (;;) {
    auto n = read_some(fd, buffer);
    if (!n.ok() || *n == 0) return out;
    out.append(buffer.data(), *n);
  }
}

TEST(FileIo, WriteAllThenReadSomeRoundTripAndDescriptorsAreCloseOnExec) {
  const TempDir dir;
  const std::string path = dir.path() + "/f";
  {
    auto out = open_file(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_NE(::fcntl(out->get(), F_GETFD) & FD_CLOEXEC, 0);
    const std::string text(10000, 'x');
    ASSERT_TRUE(write_all(out->get(), text).ok());
  }
  auto in = open_file(path, O_RDONLY);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(read_to_end(in->get()), std::string(10000, 'x'));
}

TEST(FileIo, ErrorsNameThePathAndTheErrno) {
  const TempDir dir;
  auto missing = open_file(dir.path() + "/nope", O_RDONLY);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "open " + dir.path() + "/nope: " + std::strerror(ENOENT));
  EXPECT_FALSE(write_all(-1, "x").ok());
  std::array<char, 4> buffer{};
  EXPECT_FALSE(read_some(-1, buffer).ok());
}

TEST(FileIo, TemporaryFilesAndDirectoriesAreCreatedInTheirDirectory) {
  const TempDir dir;
  auto file = make_temp_file(dir.path(), ".install.");
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->path.rfind(dir.path() + "/.install.", 0), 0U);
  EXPECT_TRUE(std::filesystem::is_regular_file(file->path));
  ASSERT_TRUE(set_file_mode(file->fd.get(), 0755).ok());
  ASSERT_TRUE(sync_file(file->fd.get()).ok());
  ASSERT_TRUE(close_file(file->fd).ok());
  EXPECT_FALSE(file->fd.valid());
  struct stat st {};
  ASSERT_EQ(::stat(file->path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777U, 0755U);

  ASSERT_TRUE(rename_file(file->path, dir.path() + "/done").ok());
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/done"));
  remove_file(dir.path() + "/done");
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/done"));
  remove_file(dir.path() + "/done");  // already gone: no error to report

  auto sub = make_temp_dir(dir.path(), "run.");
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  EXPECT_TRUE(std::filesystem::is_directory(*sub));
  auto nowhere = make_temp_dir(dir.path() + "/missing", "run.");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().message,
            "create a directory in " + dir.path() + "/missing: " + std::strerror(ENOENT));
  auto no_file = make_temp_file(dir.path() + "/missing", "x");
  ASSERT_FALSE(no_file.ok());
  EXPECT_EQ(no_file.error().message,
            "create a temporary file in " + dir.path() + "/missing: " + std::strerror(ENOENT));
}

TEST(FileIo, ControlFileWritesReturnTheErrno) {
  const TempDir dir;
  const std::string path = TempDir::write_in(dir.path(), "uid_map", "");
  EXPECT_EQ(write_control_file(path, "0 0 1\n"), 0);
  auto in = open_file(path, O_RDONLY);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(read_to_end(in->get()), "0 0 1\n");
  EXPECT_EQ(write_control_file(dir.path() + "/missing/uid_map", "x"), ENOENT);
}

TEST(FileIo, CloseFileReportsABadDescriptor) {
  UniqueFd bogus(1 << 20);  // not open
  const Status closed = close_file(bogus);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().message, std::string("close: ") + std::strerror(EBADF));
  EXPECT_FALSE(bogus.valid());
}

}  // namespace
}  // namespace jk::launcher::sys
