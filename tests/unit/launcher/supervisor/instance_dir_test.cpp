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

TEST(TempParent, IsAnAbsoluteTmpdirElseTmp) {
  EXPECT_EQ(temp_parent(nullptr), "/tmp");
  EXPECT_EQ(temp_parent(""), "/tmp");
  EXPECT_EQ(temp_parent("relative"), "/tmp");
  EXPECT_EQ(temp_parent("/var/tmp"), "/var/tmp");
}

}  // namespace
}  // namespace jk::launcher::supervisor
