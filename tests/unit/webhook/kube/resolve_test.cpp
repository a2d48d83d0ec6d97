// resolve_config: --kubeconfig, then $KUBECONFIG (merged), then in cluster, then ~/.kube/config.
#include <gtest/gtest.h>

#include "tests/unit/webhook/kube/kube_fixture.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {
namespace {

class Resolve : public kube::testing::KubeFixture {
 protected:
  std::string config_for(const std::string& name, const std::string& server) const {
    return write(name, kube::testing::kubeconfig_text("server: " + server, "token: t"));
  }
};

TEST_F(Resolve, FlagWinsOverEverything) {
  const std::string flag = config_for("flag", "https://flag.example");
  const std::string env_file = config_for("env", "https://env.example");
  config_for("home/.kube/config", "https://home.example");
  const Environment env{{{"KUBECONFIG", env_file}, {"KUBERNETES_SERVICE_HOST", "10.0.0.1"}},
                        dir() + "/home"};
  auto config = resolve_config(flag, env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->host, "flag.example");
}

TEST_F(Resolve, MissingFlagFileIsAnErrorNotAFallback) {
  config_for("home/.kube/config", "https://home.example");
  auto config = resolve_config(dir() + "/absent", Environment{{}, dir() + "/home"});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message,
            "kubeconfig: file " + dir() + "/absent: No such file or directory");
}

TEST_F(Resolve, KubeconfigVariableSkipsMissingFiles) {
  const std::string second = config_for("second", "https://second.example");
  const Environment env{{{"KUBECONFIG", dir() + "/missing:" + second}}, ""};
  auto config = resolve_config(std::nullopt, env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->host, "second.example");
  EXPECT_EQ(config->source, "kubeconfig " + second + " (context main)");
}

TEST_F(Resolve, KubeconfigVariableMergesFirstOccurrenceWins) {
  // a: current-context and a cluster c1; b: its own current-context, c1 again, the context, user.
  const std::string a = write("a",
                              "current-context: main\n"
                              "clusters:\n- name: c1\n  cluster: {server: 'https://a.example'}\n");
  const std::string b = write("b",
                              "current-context: other\n"
                              "clusters:\n- name: c1\n  cluster: {server: 'https://b.example'}\n"
                              "contexts:\n- name: main\n  context: {cluster: c1, user: u1}\n"
                              "users:\n- name: u1\n  user: {token: from-b}\n");
  const Environment env{{{"KUBECONFIG", a + ":" + b}}, ""};
  auto config = resolve_config(std::nullopt, env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->host, "a.example");
  EXPECT_EQ(config->bearer_token, "from-b");
  EXPECT_EQ(config->source, "kubeconfig " + a + ":" + b + " (context main)");
}

TEST_F(Resolve, MergedEntriesResolvePathsAgainstTheirOwnFile) {
  const std::string a = write("top/a",
                              "current-context: main\n"
                              "contexts:\n- name: main\n  context: {cluster: c, user: u}\n");
  const std::string b =
      write("sub/dir/b",
            "clusters:\n- name: c\n  cluster:\n"
            "    server: https://b.example\n    certificate-authority: ../../ca.crt\n"
            "users:\n- name: u\n  user: {tokenFile: ../../token}\n");
  auto config = resolve_config(std::nullopt, Environment{{{"KUBECONFIG", a + ":" + b}}, ""});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->ca_pem, ca_.cert_pem());
  EXPECT_EQ(config->token_file, dir() + "/token");
}

TEST_F(Resolve, ContextOverrideApplies) {
  const std::string file = config_for("file", "https://main.example");
  auto config = resolve_config(file, Environment{}, "other");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->host, "other.example");
}

TEST_F(Resolve, InClusterBeforeHomeConfig) {
  config_for("home/.kube/config", "https://home.example");
  const Environment env{
      {{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}},
      dir() + "/home"};
  auto config = resolve_config(std::nullopt, env);
  // The default service account directory may or may not exist here; either way it was chosen.
  if (config.ok()) {
    EXPECT_EQ(config->source, "in-cluster");
  } else {
    EXPECT_EQ(config.error().message.rfind("in-cluster: ", 0), 0U) << config.error().message;
  }
}

TEST_F(Resolve, HomeConfigLast) {
  const std::string home_config = config_for("home/.kube/config", "https://home.example");
  for (const Environment& env : {Environment{{{"KUBECONFIG", dir() + "/missing"}}, dir() + "/home"},
                                 Environment{{{"HOME", dir() + "/home"}}, ""}}) {
    auto config = resolve_config(std::nullopt, env);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->source, "kubeconfig " + home_config + " (context main)");
  }
}

TEST_F(Resolve, NothingFoundListsWhatWasTried) {
  auto unset = resolve_config(std::nullopt, Environment{{}, dir()});
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.error().message,
            "no Kubernetes API configuration found; tried --kubeconfig (not given), $KUBECONFIG "
            "(not set), in cluster (KUBERNETES_SERVICE_HOST not set), " +
                dir() + "/.kube/config (no such file)");
  auto missing = resolve_config(std::nullopt, Environment{{{"KUBECONFIG", "/x:/y"}}, ""});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "no Kubernetes API configuration found; tried --kubeconfig (not given), "
            "$KUBECONFIG=/x:/y (no such file), in cluster (KUBERNETES_SERVICE_HOST not set), "
            "~/.kube/config (HOME not set)");
}

}  // namespace
}  // namespace jk::kube
