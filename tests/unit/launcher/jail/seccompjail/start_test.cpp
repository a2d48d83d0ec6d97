// start_seccompjail / seccompjail_available on this kernel: the parts that need no proxy (the
// connect path is covered by tests/integration/test_seccompjail.py).
#include "launcher/jail/seccompjail/seccompjail.h"

#include <gtest/gtest.h>

#include "launcher/sys/process.h"

namespace jk::launcher::jail {
namespace {

constexpr int kExitCode = 7;

SeccompjailOptions no_capability_drop() {
  SeccompjailOptions o;
  // The test process keeps its capabilities; the filter part of the child is what is tested.
  o.child_lockdown = [] { return Status{}; };
  return o;
}

class SeccompjailStart : public ::testing::Test {
 protected:
  void SetUp() override {
    auto available = seccompjail_available();
    if (!available.ok()) GTEST_SKIP() << available.error().message;
  }
};

TEST_F(SeccompjailStart, RunsTheAgentAndHandsOverTheListener) {
  auto child = start_seccompjail(no_capability_drop(), {{"sh", "-c", "exit 7"}, {"PATH=/bin"}});
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_TRUE(child->seccomp_listener.valid());
  EXPECT_TRUE(child->pidfd.valid());
  auto status = sys::wait_for_exit(child->pid);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(sys::exit_code_from_wait_status(*status), kExitCode);
}

TEST_F(SeccompjailStart, FailsClosedBeforeExec) {
  struct Case {
    const char* name;
    SeccompjailOptions options;
    AgentCommand command;
    const char* message;
  };
  SeccompjailOptions failing_lockdown;
  failing_lockdown.child_lockdown = [] { return Status(make_error("lockdown refused")); };
  const Case cases[] = {
      {"no lockdown step", SeccompjailOptions{}, {{"true"}, {}}, "no lockdown step"},
      {"empty command", no_capability_drop(), {{}, {}}, "empty command"},
      {"lockdown fails", failing_lockdown, {{"true"}, {}}, "lockdown refused"},
      {"exec fails", no_capability_drop(), {{"/nonexistent/agent"}, {}}, "exec /nonexistent"},
  };
  for (const auto& c : cases) {
    auto child = start_seccompjail(c.options, c.command);
    ASSERT_FALSE(child.ok()) << c.name;
    EXPECT_NE(child.error().message.find(c.message), std::string::npos)
        << c.name << ": " << child.error().message;
  }
}

}  // namespace
}  // namespace jk::launcher::jail
