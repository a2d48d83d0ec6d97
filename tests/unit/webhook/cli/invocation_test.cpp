// The kubectl plugin name: argv[0] decides, and messages then say "kubectl jailkeeper".
#include "webhook/cli/invocation.h"

#include <gtest/gtest.h>

namespace jk::cli {
namespace {

TEST(Invocation, PluginIsRecognisedByTheExecutableName) {
  EXPECT_TRUE(started_as_kubectl_plugin("kubectl-jailkeeper"));
  EXPECT_TRUE(started_as_kubectl_plugin("/home/me/.krew/bin/kubectl-jailkeeper"));
  EXPECT_FALSE(started_as_kubectl_plugin("jailkeeper-webhook"));
  EXPECT_FALSE(started_as_kubectl_plugin("/usr/bin/kubectl-jailkeeper-old"));
  EXPECT_FALSE(started_as_kubectl_plugin("/opt/kubectl-jailkeeper/jailkeeper-webhook"));
}

TEST(Invocation, MessagesNameTheWayItWasStarted) {
  set_program_name(true);
  EXPECT_EQ(program_name(), "kubectl jailkeeper");
  EXPECT_EQ(as_invoked("Usage: jailkeeper-webhook audit\n  jailkeeper-webhook version\n"),
            "Usage: kubectl jailkeeper audit\n  kubectl jailkeeper version\n");
  set_program_name(false);
  EXPECT_EQ(as_invoked("Usage: jailkeeper-webhook audit"), "Usage: jailkeeper-webhook audit");
}

}  // namespace
}  // namespace jk::cli
