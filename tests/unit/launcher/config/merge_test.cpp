#include "launcher/config/merge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jk::launcher::config {
namespace {

// A layer that sets every scalar to a value recognisable by its source.
OptionLayer full_layer(JailChoice jail, std::uint16_t port, log::Level level, const char* dir,
                       bool flag) {
  OptionLayer l;
  l.jail_type = jail;
  l.proxy_port = port;
  l.log_level = level;
  l.log_dir = dir;
  l.no_user_namespace = flag;
  l.use_real_dns = flag;
  return l;
}

struct PrecedenceCase {
  const char* name;
  bool flags, env, yaml, spec;
  std::uint16_t expected_port;  // identifies the winning source
};

class Precedence : public ::testing::TestWithParam<PrecedenceCase> {};

// flag > env > YAML > spec > default, for every combination that matters.
INSTANTIATE_TEST_SUITE_P(
    Matrix, Precedence,
    ::testing::Values(PrecedenceCase{"all", true, true, true, true, 1},
                      PrecedenceCase{"env_yaml_spec", false, true, true, true, 2},
                      PrecedenceCase{"yaml_spec", false, false, true, true, 3},
                      PrecedenceCase{"spec_only", false, false, false, true, 4},
                      PrecedenceCase{"none", false, false, false, false, kDefaultProxyPort},
                      PrecedenceCase{"flag_over_spec", true, false, false, true, 1},
                      PrecedenceCase{"env_over_spec", false, true, false, true, 2},
                      PrecedenceCase{"flag_over_yaml", true, false, true, false, 1}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST_P(Precedence, EveryScalarComesFromTheStrongestSourceThatSetsIt) {
  const PrecedenceCase& c = GetParam();
  Layers l;
  if (c.flags) l.flags = full_layer(JailChoice::kNsjail, 1, log::Level::kError, "flag", true);
  if (c.env) l.env = full_layer(JailChoice::kLandjail, 2, log::Level::kInfo, "env", false);
  if (c.yaml) l.yaml = full_layer(JailChoice::kSeccompjail, 3, log::Level::kDebug, "yaml", true);
  if (c.spec) l.spec = full_layer(JailChoice::kAuto, 4, log::Level::kWarn, "spec", false);
  const auto o = merge_layers(l);
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->proxy_port, c.expected_port);
  EXPECT_EQ(o->proxy_port_explicit, c.flags || c.env || c.yaml || c.spec);
  const std::vector<JailChoice> jails = {JailChoice::kNsjail, JailChoice::kLandjail,
                                         JailChoice::kSeccompjail, JailChoice::kAuto};
  const std::vector<log::Level> levels = {log::Level::kError, log::Level::kInfo, log::Level::kDebug,
                                          log::Level::kWarn};
  const std::vector<std::string> dirs = {"flag", "env", "yaml", "spec"};
  const std::vector<bool> bools = {true, false, true, false};
  if (c.expected_port == kDefaultProxyPort) {
    EXPECT_EQ(o->jail_type, JailChoice::kAuto);
    EXPECT_EQ(o->log_level, kDefaultLogLevel);
    EXPECT_EQ(o->log_dir, "");
    EXPECT_FALSE(o->no_user_namespace);
    EXPECT_FALSE(o->use_real_dns);
    return;
  }
  const std::size_t winner = c.expected_port - 1U;
  EXPECT_EQ(o->jail_type, jails[winner]);
  EXPECT_EQ(o->log_level, levels[winner]);
  EXPECT_EQ(o->log_dir, dirs[winner]);
  EXPECT_EQ(o->no_user_namespace, bools[winner]);
  EXPECT_EQ(o->use_real_dns, bools[winner]);
}

TEST(Precedence, AFalseFlagOverridesATrueEnvironment) {
  Layers l;
  l.flags.use_real_dns = false;
  l.env.use_real_dns = true;
  EXPECT_FALSE(merge_layers(l)->use_real_dns);
}

std::vector<RuleText> rules(std::initializer_list<const char*> texts, const std::string& origin) {
  std::vector<RuleText> out;
  for (const char* t : texts) out.push_back({t, origin + "[" + std::to_string(out.size()) + "]"});
  return out;
}

std::vector<std::string> origins(const LaunchOptions& o) {
  std::vector<std::string> out;
  for (const AllowRule& r : o.allow) out.push_back(r.origin);
  return out;
}

TEST(RuleOrder, SpecThenYamlThenFlags) {
  Layers l;
  l.flags.allow = rules({"domain=f.com"}, "--allow");
  l.env.allow = rules({"domain=e.com"}, "BOUNDARY_ALLOW");
  l.yaml.allow = rules({"domain=y.com", "domain=y2.com"}, "allowlist");
  l.spec.allow = rules({"domain=s.com"}, "spec");
  const auto o = merge_layers(l);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(origins(*o),
            (std::vector<std::string>{"spec[0]", "allowlist[0]", "allowlist[1]", "--allow[0]"}));
  EXPECT_EQ(o->allow[0].rule.text, "domain=s.com");
}

TEST(RuleOrder, EnvironmentRulesTakeTheFlagsPlaceWhenNoFlagIsGiven) {
  Layers l;
  l.env.allow = rules({"domain=e.com"}, "BOUNDARY_ALLOW");
  l.yaml.allow = rules({"domain=y.com"}, "allowlist");
  const auto o = merge_layers(l);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(origins(*o), (std::vector<std::string>{"allowlist[0]", "BOUNDARY_ALLOW[0]"}));
}

TEST(RuleOrder, NoRulesAnywhereMeansAnEmptyListWhichDeniesEverything) {
  const auto o = merge_layers(Layers{});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->allow.empty());
}

TEST(RuleOrder, FallbackComesFromTheSpec) {
  Layers l;
  l.spec.fallback = std::vector<launchspec::JailType>{launchspec::JailType::kSeccompjail};
  EXPECT_EQ(merge_layers(l)->fallback,
            (std::vector<launchspec::JailType>{launchspec::JailType::kSeccompjail}));
}

struct BadRuleCase {
  const char* layer;
  const char* message_start;
};

class BadRule : public ::testing::TestWithParam<BadRuleCase> {};

INSTANTIATE_TEST_SUITE_P(
    EverySource, BadRule,
    ::testing::Values(BadRuleCase{"flags", "--allow[1]: rule \"method=GET, POST\": column 12: "},
                      BadRuleCase{"env",
                                  "BOUNDARY_ALLOW[1]: rule \"method=GET, POST\": column 12: "},
                      BadRuleCase{"yaml", "allowlist[1]: rule \"method=GET, POST\": column 12: "},
                      BadRuleCase{"spec", "spec[1]: rule \"method=GET, POST\": column 12: "}));

TEST_P(BadRule, IsRejectedWithItsOriginAndColumn) {
  Layers l;
  const std::string which = GetParam().layer;
  const std::string origin = which == "flags"  ? "--allow"
                             : which == "env"  ? "BOUNDARY_ALLOW"
                             : which == "yaml" ? "allowlist"
                                               : "spec";
  OptionLayer& layer = which == "flags"  ? l.flags
                       : which == "env"  ? l.env
                       : which == "yaml" ? l.yaml
                                         : l.spec;
  layer.allow = rules({"domain=ok.com", "method=GET, POST"}, origin);
  const auto o = merge_layers(l);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message.rfind(GetParam().message_start, 0), 0U) << o.error().message;
}

TEST(BadRule, AnEmptyRuleIsAnErrorNotAllowEverything) {
  Layers l;
  l.flags.allow = rules({""}, "--allow");
  const auto o = merge_layers(l);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().message.rfind("--allow[0]: ", 0), 0U) << o.error().message;
}

}  // namespace
}  // namespace jk::launcher::config
