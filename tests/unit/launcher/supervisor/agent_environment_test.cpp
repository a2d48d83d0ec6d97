// The agent's environment: variables the launcher sets replace, never duplicate (issue 13).
#include "launcher/supervisor/agent_environment.h"

#include <gtest/gtest.h>

namespace jk::launcher::supervisor {
namespace {

using Env = std::vector<std::string>;

TEST(AgentEnvironment, ASetVariableReplacesEveryEntryOfThatName) {
  const Env env = {"PATH=/bin", "SSL_CERT_FILE=/corp/ca.pem", "HOME=/h", "SSL_CERT_FILE=/again"};
  EXPECT_EQ(with_variables(env, {"SSL_CERT_FILE=/run/bundle.pem"}),
            (Env{"PATH=/bin", "HOME=/h", "SSL_CERT_FILE=/run/bundle.pem"}));
}

TEST(AgentEnvironment, NamesCompareIgnoringCaseBecauseNpmReadsThemSo) {
  const Env env = {"npm_config_cafile=/corp/ca.pem", "Npm_Config_CaFile=/x", "KEEP=1"};
  EXPECT_EQ(with_variables(env, {"NPM_CONFIG_CAFILE=/run/bundle.pem"}),
            (Env{"KEEP=1", "NPM_CONFIG_CAFILE=/run/bundle.pem"}));
}

TEST(AgentEnvironment, OtherEntriesKeepTheirOrderAndPrefixesAreNotNames) {
  const Env env = {"SSL_CERT_FILE_X=1", "A=1", "SSL_CERT=2", "B", "C=="};
  EXPECT_EQ(with_variables(env, {"SSL_CERT_FILE=/b", "SSL_CERT_DIR=/d"}),
            (Env{"SSL_CERT_FILE_X=1", "A=1", "SSL_CERT=2", "B", "C==", "SSL_CERT_FILE=/b",
                 "SSL_CERT_DIR=/d"}));
}

TEST(AgentEnvironment, EveryNameAppearsOnceEvenWhenSetTwiceBefore) {
  Env env = {"PATH=/bin"};
  env = with_variables(env, {"X=1"});
  env = with_variables(env, {"X=2"});
  EXPECT_EQ(env, (Env{"PATH=/bin", "X=2"}));
}

}  // namespace
}  // namespace jk::launcher::supervisor
