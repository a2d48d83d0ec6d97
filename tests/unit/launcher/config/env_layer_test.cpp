#include "launcher/config/env_layer.h"

#include <gtest/gtest.h>

namespace jk::launcher::config {
namespace {

TEST(EnvLayer, EmptyEnvironmentSetsNothing) {
  const auto layer = layer_from_env({});
  ASSERT_TRUE(layer.ok());
  EXPECT_FALSE(layer->allow);
  EXPECT_FALSE(layer->config_path);
  EXPECT_FALSE(layer->jail_type);
  EXPECT_FALSE(layer->no_user_namespace);
  EXPECT_FALSE(layer->proxy_port);
  EXPECT_FALSE(layer->log_level);
  EXPECT_FALSE(layer->log_dir);
  EXPECT_FALSE(layer->use_real_dns);
}

TEST(EnvLayer, ReadsEveryBoundaryVariable) {
  const auto layer = layer_from_env({{"BOUNDARY_ALLOW", "domain=a.com"},
                                     {"BOUNDARY_CONFIG", "/c.yaml"},
                                     {"BOUNDARY_JAIL_TYPE", "landjail"},
                                     {"BOUNDARY_NO_USER_NAMESPACE", "true"},
                                     {"PROXY_PORT", "3128"},
                                     {"BOUNDARY_LOG_LEVEL", "debug"},
                                     {"BOUNDARY_LOG_DIR", "/logs"},
                                     {"BOUNDARY_USE_REAL_DNS", "1"}});
  ASSERT_TRUE(layer.ok()) << layer.error().message;
  ASSERT_EQ(layer->allow->size(), 1U);
  EXPECT_EQ((*layer->allow)[0].text, "domain=a.com");
  EXPECT_EQ(*layer->config_path, "/c.yaml");
  EXPECT_EQ(*layer->jail_type, JailChoice::kLandjail);
  EXPECT_TRUE(*layer->no_user_namespace);
  EXPECT_EQ(*layer->proxy_port, 3128);
  EXPECT_EQ(*layer->log_level, log::Level::kDebug);
  EXPECT_EQ(*layer->log_dir, "/logs");
  EXPECT_TRUE(*layer->use_real_dns);
}

struct PairCase {
  const char* ours;
  const char* boundary;
};

class JailkeeperNameWins : public ::testing::TestWithParam<PairCase> {};

INSTANTIATE_TEST_SUITE_P(EveryPair, JailkeeperNameWins,
                         ::testing::Values(PairCase{"JAILKEEPER_CONFIG", "BOUNDARY_CONFIG"},
                                           PairCase{"JAILKEEPER_LOG_DIR", "BOUNDARY_LOG_DIR"}));

TEST_P(JailkeeperNameWins, WhenBothAreSet) {
  const auto layer = layer_from_env({{GetParam().ours, "ours"}, {GetParam().boundary, "theirs"}});
  ASSERT_TRUE(layer.ok());
  const auto& value =
      std::string(GetParam().ours) == "JAILKEEPER_CONFIG" ? layer->config_path : layer->log_dir;
  EXPECT_EQ(*value, "ours");
}

TEST(EnvLayer, JailkeeperScalarsWinOverBoundaryOnes) {
  const auto layer = layer_from_env({{"JAILKEEPER_JAIL_TYPE", "seccompjail"},
                                     {"BOUNDARY_JAIL_TYPE", "nsjail"},
                                     {"JAILKEEPER_PROXY_PORT", "9000"},
                                     {"PROXY_PORT", "8000"},
                                     {"JAILKEEPER_NO_USER_NAMESPACE", "false"},
                                     {"BOUNDARY_NO_USER_NAMESPACE", "true"},
                                     {"JAILKEEPER_LOG_LEVEL", "error"},
                                     {"BOUNDARY_LOG_LEVEL", "debug"},
                                     {"JAILKEEPER_USE_REAL_DNS", "0"},
                                     {"BOUNDARY_USE_REAL_DNS", "1"},
                                     {"JAILKEEPER_ALLOW", "domain=ours.com"},
                                     {"BOUNDARY_ALLOW", "domain=theirs.com"}});
  ASSERT_TRUE(layer.ok()) << layer.error().message;
  EXPECT_EQ(*layer->jail_type, JailChoice::kSeccompjail);
  EXPECT_EQ(*layer->proxy_port, 9000);
  EXPECT_FALSE(*layer->no_user_namespace);
  EXPECT_EQ(*layer->log_level, log::Level::kError);
  EXPECT_FALSE(*layer->use_real_dns);
  ASSERT_EQ(layer->allow->size(), 1U);
  EXPECT_EQ((*layer->allow)[0].text, "domain=ours.com");
  EXPECT_EQ((*layer->allow)[0].origin, "JAILKEEPER_ALLOW line 1");
}

TEST(EnvLayer, EmptyValueCountsAsUnset) {
  const auto layer = layer_from_env({{"JAILKEEPER_PROXY_PORT", ""},
                                     {"PROXY_PORT", "8000"},
                                     {"BOUNDARY_USE_REAL_DNS", ""},
                                     {"BOUNDARY_ALLOW", ""}});
  ASSERT_TRUE(layer.ok());
  EXPECT_EQ(*layer->proxy_port, 8000);
  EXPECT_FALSE(layer->use_real_dns);
  EXPECT_FALSE(layer->allow);
}

TEST(EnvLayer, AllowHoldsOneRulePerLineAndKeepsCommas) {
  const auto layer = layer_from_env(
      {{"BOUNDARY_ALLOW", "method=GET,HEAD domain=a.com\n\n  \r\ndomain=b.com\r\n"}});
  ASSERT_TRUE(layer.ok());
  ASSERT_EQ(layer->allow->size(), 2U);
  EXPECT_EQ((*layer->allow)[0].text, "method=GET,HEAD domain=a.com");
  EXPECT_EQ((*layer->allow)[0].origin, "BOUNDARY_ALLOW line 1");
  EXPECT_EQ((*layer->allow)[1].text, "domain=b.com");
  EXPECT_EQ((*layer->allow)[1].origin, "BOUNDARY_ALLOW line 4");
}

struct BadEnvCase {
  const char* name;
  const char* value;
  const char* message;
};

class BadEnv : public ::testing::TestWithParam<BadEnvCase> {};

INSTANTIATE_TEST_SUITE_P(
    Errors, BadEnv,
    ::testing::Values(
        BadEnvCase{"PROXY_PORT", "http", "PROXY_PORT: expected a port 1..65535, got \"http\""},
        BadEnvCase{"JAILKEEPER_PROXY_PORT", "0",
                   "JAILKEEPER_PROXY_PORT: expected a port 1..65535, got \"0\""},
        BadEnvCase{"BOUNDARY_NO_USER_NAMESPACE", "yes",
                   "BOUNDARY_NO_USER_NAMESPACE: expected a boolean (true or false), got \"yes\""},
        BadEnvCase{"JAILKEEPER_USE_REAL_DNS", "on",
                   "JAILKEEPER_USE_REAL_DNS: expected a boolean (true or false), got \"on\""},
        BadEnvCase{"BOUNDARY_LOG_LEVEL", "trace",
                   "BOUNDARY_LOG_LEVEL: expected error, warn, info or debug, got \"trace\""},
        BadEnvCase{"BOUNDARY_JAIL_TYPE", "chroot",
                   "BOUNDARY_JAIL_TYPE: expected nsjail, landjail, seccompjail or auto, got "
                   "\"chroot\""}));

TEST_P(BadEnv, NamesTheVariable) {
  const auto layer = layer_from_env({{GetParam().name, GetParam().value}});
  ASSERT_FALSE(layer.ok());
  EXPECT_EQ(layer.error().message, GetParam().message);
}

}  // namespace
}  // namespace jk::launcher::config
