#include "launcher/supervisor/instance_dir.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/launcher/temp_dir.h"

namespace jk::launcher::supervisor {
namespace {

namespace fs = std::filesystem;

TEST(InstanceDirOwner, IsThePidInTheNameOfOurDirectoriesOnly) {
  struct Case {
    const char* name;
    pid_t owner;
  };
  const Case cases[] = {
      {"jailkeeper-launch.1234.AbC123", 1234},
      {"jailkeeper-launch.1.xxxxxx", 1},
      {"jailkeeper-launch.1234.short", -1},
      {"jailkeeper-launch..AbC123", -1},
      {"jailkeeper-launch.12a4.AbC123", -1},
      {"jailkeeper-launch.0.AbC123", -1},
      {"other.1234.AbC123", -1},
      {"jailkeeper-launch.-5.AbC123", -1},
  };
  for (const auto& c : cases) EXPECT_EQ(instance_dir_owner(c.name), c.owner) << c.name;
}

TEST(InstanceDir, IsCreatedPrivateAndRemovedWithItsContents) {
  const testing::TempDir parent;
  std::string path;
  {
    auto dir = InstanceDir::create(parent.path());
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    path = dir->path();
    EXPECT_EQ(instance_dir_owner(fs::path(path).filename().string()), getpid());
    struct stat st {};
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777U, 0700U);
    fs::create_directory(path + "/trust");
    std::ofstream(path + "/trust/ca.pem") << "x";
  }
  EXPECT_FALSE(fs::exists(path));
}

pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

TEST(RemoveStaleInstanceDirs, RemovesOnlyThoseOfDeadLaunchers) {
  const testing::TempDir parent;
  const std::string dead =
      parent.path() + "/jailkeeper-launch." + std::to_string(dead_pid()) + ".abcdef";
  const std::string alive =
      parent.path() + "/jailkeeper-launch." + std::to_string(getppid()) + ".abcdef";
  const std::string mine =
      parent.path() + "/jailkeeper-launch." + std::to_string(getpid()) + ".abcdef";
  const std::string other = parent.path() + "/jailkeeper-launch.notapid";
  for (const auto& d : {dead, alive, mine, other}) fs::create_directories(d + "/trust");
  EXPECT_EQ(remove_stale_instance_dirs(parent.path()), 1);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(mine));
  EXPECT_TRUE(fs::exists(other));
}

TEST(TempParents, AnAbsoluteTmpdirThenTheRunDirThenTmpThenDevShm) {
  const std::vector<std::string> defaults{"/jailkeeper/run", "/tmp", "/dev/shm"};
  EXPECT_EQ(temp_parents(nullptr), defaults);
  EXPECT_EQ(temp_parents(""), defaults);
  EXPECT_EQ(temp_parents("relative"), defaults);
  EXPECT_EQ(temp_parents("/var/tmp"),
            (std::vector<std::string>{"/var/tmp", "/jailkeeper/run", "/tmp", "/dev/shm"}));
  EXPECT_EQ(temp_parents("/tmp"),
            (std::vector<std::string>{"/tmp", "/jailkeeper/run", "/dev/shm"}));
}

// readOnlyRootFilesystem: the first parents refuse; the first one that takes it wins, and when
// none does the error names every one.
TEST(CreateInFirst, SkipsParentsItCannotWriteAndNamesThemAllWhenNoneWorks) {
  const testing::TempDir writable;
  auto dir = create_in_first({"/nonexistent/a", "/proc", writable.path()});
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_EQ(dir->path().rfind(writable.path() + "/", 0), 0U) << dir->path();
  const auto none = create_in_first({"/nonexistent/a", "/proc"});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("/nonexistent/a"), std::string::npos);
  EXPECT_NE(none.error().message.find("/proc"), std::string::npos);
  EXPECT_NE(none.error().message.find("TMPDIR"), std::string::npos);
}

}  // namespace
}  // namespace jk::launcher::supervisor
