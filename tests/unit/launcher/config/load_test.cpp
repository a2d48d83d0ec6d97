#include "launcher/config/load.h"

#include <gtest/gtest.h>

#include "tests/unit/launcher/temp_dir.h"

namespace jk::launcher::config {
namespace {

using testing::TempDir;

constexpr const char* kSpec =
    R"({"version":1,"jail":"landjail","fallback":["seccompjail"],"userNamespace":false,)"
    R"("allow":["domain=spec.com"],"proxyPort":9090,"policy":"default"})";

TEST(LoadOptions, DefaultsWhenNothingIsConfigured) {
  const auto o = load_options(OptionLayer{}, {});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_TRUE(o->allow.empty());
  EXPECT_EQ(o->jail_type, JailChoice::kAuto);
  EXPECT_EQ(o->proxy_port, kDefaultProxyPort);
  EXPECT_FALSE(o->proxy_port_explicit);
  EXPECT_EQ(o->log_level, log::Level::kWarn);
  EXPECT_FALSE(o->no_user_namespace);
  EXPECT_FALSE(o->use_real_dns);
  EXPECT_EQ(o->log_dir, "");
}

TEST(LoadOptions, AllFourSourcesTogether) {
  const TempDir dir;
  const std::string spec = dir.write("launch-spec", kSpec);
  const std::string yaml =
      dir.write("c.yaml", "allowlist: [domain=yaml.com]\nproxy_port: 3128\nlog_level: info\n");
  OptionLayer flags;
  flags.allow = std::vector<RuleText>{{"domain=flag.com", "--allow[0]"}};
  flags.log_level = log::Level::kDebug;
  const auto o = load_options(flags, {{"JAILKEEPER_SPEC", spec},
                                      {"BOUNDARY_CONFIG", yaml},
                                      {"BOUNDARY_ALLOW", "domain=env.com"},
                                      {"BOUNDARY_LOG_DIR", "/env-logs"}});
  ASSERT_TRUE(o.ok()) << o.error().message;
  ASSERT_EQ(o->allow.size(), 3U);
  EXPECT_EQ(o->allow[0].origin, "spec " + spec + ": allow[0]");
  EXPECT_EQ(o->allow[1].origin, "config " + yaml + ": allowlist[0]");
  EXPECT_EQ(o->allow[2].origin, "--allow[0]");
  EXPECT_EQ(o->proxy_port, 3128);               // YAML over spec
  EXPECT_EQ(o->log_level, log::Level::kDebug);  // flag over YAML
  EXPECT_EQ(o->log_dir, "/env-logs");
  EXPECT_EQ(o->jail_type, JailChoice::kLandjail);  // from the spec
  EXPECT_EQ(o->fallback, (std::vector<launchspec::JailType>{launchspec::JailType::kSeccompjail}));
  EXPECT_TRUE(o->no_user_namespace);  // spec userNamespace=false
}

TEST(LoadOptions, ConfigFlagWinsOverConfigVariables) {
  const TempDir dir;
  const std::string by_flag = dir.write("flag.yaml", "proxy_port: 1111\n");
  const std::string by_env = dir.write("env.yaml", "proxy_port: 2222\n");
  OptionLayer flags;
  flags.config_path = by_flag;
  const auto o = load_options(flags, {{"JAILKEEPER_CONFIG", by_env}});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->proxy_port, 1111);
  const auto from_env = load_options(OptionLayer{}, {{"JAILKEEPER_CONFIG", by_env}});
  EXPECT_EQ(from_env->proxy_port, 2222);
}

TEST(LoadOptions, SpecPortZeroLeavesTheDefault) {
  const TempDir dir;
  const std::string spec =
      dir.write("s", R"({"version":1,"jail":"nsjail","userNamespace":true,"allow":[]})");
  const auto o = load_options(OptionLayer{}, {{"JAILKEEPER_SPEC", spec}});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->proxy_port, kDefaultProxyPort);
  EXPECT_EQ(o->jail_type, JailChoice::kNsjail);
}

TEST(LoadOptions, MissingSpecFileFailsClosed) {
  const auto o = load_options(OptionLayer{}, {{"JAILKEEPER_SPEC", "/nonexistent/launch-spec"}});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message,
            "spec /nonexistent/launch-spec: cannot open: No such file or directory");
}

TEST(LoadOptions, EmptySpecVariableFailsClosed) {
  const auto o = load_options(OptionLayer{}, {{"JAILKEEPER_SPEC", ""}});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message, "JAILKEEPER_SPEC is set but empty");
}

TEST(LoadOptions, InvalidSpecNamesTheFile) {
  const TempDir dir;
  const std::string spec = dir.write("s", R"({"version":99})");
  const auto o = load_options(OptionLayer{}, {{"JAILKEEPER_SPEC", spec}});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message.rfind("spec " + spec + ": ", 0), 0U) << o.error().message;
}

TEST(LoadOptions, BadRuleInSpecNamesFileAndIndex) {
  const TempDir dir;
  const std::string spec = dir.write(
      "s", R"({"version":1,"jail":"nsjail","allow":["domain=a.com","domain=*.com:443"]})");
  const auto o = load_options(OptionLayer{}, {{"JAILKEEPER_SPEC", spec}});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(
      o.error().message.rfind("spec " + spec + ": allow[1]: rule \"domain=*.com:443\": column ", 0),
      0U)
      << o.error().message;
}

TEST(LoadOptions, MissingConfigFileNamesIt) {
  const auto o = load_options(OptionLayer{}, {{"BOUNDARY_CONFIG", "/nonexistent.yaml"}});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message, "config /nonexistent.yaml: cannot open: No such file or directory");
}

TEST(LoadOptions, EnvironmentErrorsStopLoading) {
  const auto o = load_options(OptionLayer{}, {{"PROXY_PORT", "x"}});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message, "PROXY_PORT: expected a port 1..65535, got \"x\"");
}

}  // namespace
}  // namespace jk::launcher::config
