#include "launcher/sys/process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/unit/launcher/sys/child.h"

namespace jk::launcher::sys {
namespace {

constexpr int kExecFailed = 99;

TEST(ExitCode, IsTheStatusOrOneHundredTwentyEightPlusTheSignal) {
  struct Case {
    int wait_status;
    int exit_code;
  };
  const Case cases[] = {
      {W_EXITCODE(0, 0), 0},         {W_EXITCODE(3, 0), 3},         {W_EXITCODE(255, 0), 255},
      {W_EXITCODE(0, SIGKILL), 137}, {W_EXITCODE(0, SIGTERM), 143}, {W_EXITCODE(0, SIGINT), 130},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(exit_code_from_wait_status(c.wait_status), c.exit_code) << c.wait_status;
  }
}

TEST(WaitForExit, ReportsARealChildsStatus) {
  const pid_t exits = fork();
  if (exits == 0) _exit(3);
  auto status = wait_for_exit(exits);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(exit_code_from_wait_status(*status), 3);

  const pid_t killed = fork();
  if (killed == 0) {
    raise(SIGKILL);
    _exit(0);
  }
  status = wait_for_exit(killed);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(exit_code_from_wait_status(*status), 137);
}

TEST(ExecCommand, SearchesThePathOfTheGivenEnvironment) {
  struct Case {
    std::vector<std::string> argv;
    std::vector<std::string> env;
    int exit_code;
  };
  const Case cases[] = {
      {{"true"}, {"PATH=/nonexistent:/bin"}, 0},
      {{"false"}, {"PATH=/nonexistent:/usr/bin:/bin"}, 1},
      {{"true"}, {}, 0},  // default PATH
      {{"/bin/sh", "-c", "exit 7"}, {}, 7},
      {{"sh", "-c", "test \"$X\" = y"}, {"X=y"}, 0},  // the env is the agent's
      {{"true"}, {"PATH=/nonexistent"}, kExecFailed},
      {{"no-such-command-jk"}, {}, kExecFailed},
  };
  for (const auto& c : cases) {
    const int code = testing::run_in_child([&] {
      (void)exec_command(c.argv, c.env);
      return kExecFailed;
    });
    EXPECT_EQ(code, c.exit_code) << c.argv[0];
  }
}

TEST(ExecCommand, SaysWhatFailed) {
  const int code = testing::run_in_child([] {
    const Error e = exec_command({"no-such-command-jk"}, {});
    return e.message == "exec no-such-command-jk: No such file or directory" ? 0 : 1;
  });
  EXPECT_EQ(code, 0);
}

TEST(OpenPidfd, GivesADescriptorForALiveChild) {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  auto fd = open_pidfd(pid);
  EXPECT_TRUE(fd.ok());
  (void)wait_for_exit(pid);
  EXPECT_FALSE(open_pidfd(-1).ok());
}

}  // namespace
}  // namespace jk::launcher::sys
