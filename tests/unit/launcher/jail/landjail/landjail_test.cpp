#include "launcher/jail/landjail/landjail.h"

#include <signal.h>

#include <gtest/gtest.h>

#include "launcher/jail/landjail/environment.h"
#include "launcher/sys/landlock.h"
#include "launcher/sys/process.h"

namespace jk::launcher::jail {
namespace {

TEST(LandjailEnvironment, PointsEveryProxyVariableAtTheProxyAndDropsBypasses) {
  const std::vector<std::string> env = {"PATH=/bin",  "HTTP_PROXY=http://evil:1",
                                        "NO_PROXY=*", "no_proxy=localhost",
                                        "HOME=/root", "https_proxy=http://evil:2"};
  const std::vector<std::string> expected = {"PATH=/bin",
                                             "HOME=/root",
                                             "HTTP_PROXY=http://127.0.0.1:40123",
                                             "HTTPS_PROXY=http://127.0.0.1:40123",
                                             "ALL_PROXY=http://127.0.0.1:40123",
                                             "http_proxy=http://127.0.0.1:40123",
                                             "https_proxy=http://127.0.0.1:40123",
                                             "all_proxy=http://127.0.0.1:40123"};
  EXPECT_EQ(with_proxy_variables(env, 40123), expected);
}

TEST(LandjailEnvironment, KeepsVariablesThatOnlyLookSimilar) {
  const std::vector<std::string> env = {"HTTP_PROXY_USER=x", "NO_PROXYING=1"};
  const auto out = with_proxy_variables(env, 1);
  EXPECT_EQ(out[0], "HTTP_PROXY_USER=x");
  EXPECT_EQ(out[1], "NO_PROXYING=1");
}

class StartLandjail : public ::testing::Test {
 protected:
  void SetUp() override {
    auto available = landjail_available();
    if (!available.ok()) GTEST_SKIP() << "landjail unavailable: " << available.error().message;
  }
};

int run_to_exit(const AgentCommand& cmd) {
  auto child = start_landjail(LandjailOptions{40000}, cmd);
  if (!child.ok()) return -1;
  auto status = sys::wait_for_exit(child->pid);
  return status.ok() ? sys::exit_code_from_wait_status(*status) : -1;
}

TEST_F(StartLandjail, RunsTheAgentWithTheProxyVariablesAndPropagatesItsStatus) {
  struct Case {
    const char* script;
    int exit_code;
  };
  const Case cases[] = {
      {"exit 3", 3},
      {"test \"$HTTPS_PROXY\" = http://127.0.0.1:40000", 0},
      {"test -z \"$NO_PROXY\"", 0},
      {"grep -q '^NoNewPrivs:.1' /proc/self/status", 0},
      {"grep -q '^CapBnd:.0000000000000000' /proc/self/status", 0},
      {"kill -9 $$", 137},
      {"grep -q '^SigBlk:.0000000000000000' /proc/self/status", 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(run_to_exit({{"/bin/sh", "-c", c.script}, {"NO_PROXY=*", "PATH=/bin"}}), c.exit_code)
        << c.script;
  }
}

TEST_F(StartLandjail, StartsTheAgentWithNoSignalBlockedEvenIfTheLauncherBlocksSome) {
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigset_t previous;
  sigprocmask(SIG_BLOCK, &term, &previous);
  const int code =
      run_to_exit({{"/bin/sh", "-c", "grep -q '^SigBlk:.0000000000000000' /proc/self/status"}, {}});
  sigprocmask(SIG_SETMASK, &previous, nullptr);
  EXPECT_EQ(code, 0);
}

TEST_F(StartLandjail, FailsWithTheChildsReasonWhenExecFails) {
  auto child = start_landjail(LandjailOptions{40000}, {{"/no/such/agent"}, {}});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().message, "landjail: exec /no/such/agent: No such file or directory");
}

TEST(StartLandjailArguments, AreCheckedBeforeForking) {
  EXPECT_FALSE(start_landjail(LandjailOptions{0}, {{"/bin/true"}, {}}).ok());
  EXPECT_FALSE(start_landjail(LandjailOptions{40000}, {{}, {}}).ok());
}

}  // namespace
}  // namespace jk::launcher::jail
