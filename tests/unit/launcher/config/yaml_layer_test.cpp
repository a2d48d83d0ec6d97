#include "launcher/config/yaml_layer.h"

#include <gtest/gtest.h>

namespace jk::launcher::config {
namespace {

constexpr const char* kOrigin = "config /x.yaml";

TEST(YamlLayer, ReadsEveryBoundaryKey) {
  const auto layer = layer_from_yaml(
      "allowlist:\n"
      "  - domain=github.com\n"
      "  - method=GET,HEAD domain=pypi.org\n"
      "jail_type: landjail\n"
      "log_dir: /var/log/boundary\n"
      "log_level: info\n"
      "no_user_namespace: true\n"
      "proxy_port: 3128\n"
      "use_real_dns: false\n",
      kOrigin);
  ASSERT_TRUE(layer.ok()) << layer.error().message;
  ASSERT_EQ(layer->allow->size(), 2U);
  EXPECT_EQ((*layer->allow)[1].text, "method=GET,HEAD domain=pypi.org");
  EXPECT_EQ((*layer->allow)[1].origin, "config /x.yaml: allowlist[1]");
  EXPECT_EQ(*layer->jail_type, JailChoice::kLandjail);
  EXPECT_EQ(*layer->log_dir, "/var/log/boundary");
  EXPECT_EQ(*layer->log_level, log::Level::kInfo);
  EXPECT_TRUE(*layer->no_user_namespace);
  EXPECT_EQ(*layer->proxy_port, 3128);
  EXPECT_FALSE(*layer->use_real_dns);
  EXPECT_FALSE(layer->config_path);
}

TEST(YamlLayer, EmptyFileAndEmptyAllowlistSetNothingOrNoRules) {
  const auto empty = layer_from_yaml("", kOrigin);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->allow);
  EXPECT_FALSE(empty->proxy_port);
  const auto no_rules = layer_from_yaml("allowlist:\n", kOrigin);
  ASSERT_TRUE(no_rules.ok());
  ASSERT_TRUE(no_rules->allow);
  EXPECT_TRUE(no_rules->allow->empty());
}

struct BadYamlCase {
  const char* yaml;
  const char* message_start;
};

class BadYaml : public ::testing::TestWithParam<BadYamlCase> {};

INSTANTIATE_TEST_SUITE_P(
    Errors, BadYaml,
    ::testing::Values(
        BadYamlCase{"allow:\n  - domain=a.com\n", "config /x.yaml: unknown key \"allow\""},
        BadYamlCase{"log_dir: /a\npprof_enabled: true\n",
                    "config /x.yaml: unknown key \"pprof_enabled\" (line 2, column 1)"},
        BadYamlCase{"proxy_port: 1\nproxy_port: 2\n",
                    "config /x.yaml: duplicate key \"proxy_port\" (line 2, column 1)"},
        BadYamlCase{"proxy_port: 0\n",
                    "config /x.yaml: proxy_port: expected a port 1..65535, got \"0\""},
        BadYamlCase{"no_user_namespace: yes\n",
                    "config /x.yaml: no_user_namespace: expected a boolean"},
        BadYamlCase{"log_level: verbose\n",
                    "config /x.yaml: log_level: expected error, warn, info or debug"},
        BadYamlCase{"jail_type: [nsjail]\n", "config /x.yaml: jail_type: expected a scalar"},
        BadYamlCase{"allowlist: domain=a.com\n",
                    "config /x.yaml: allowlist: expected a list of rules"},
        BadYamlCase{"allowlist:\n  - domain=a.com\n  - {domain: b.com}\n",
                    "config /x.yaml: allowlist[1]: expected a scalar"},
        BadYamlCase{"- domain=a.com\n", "config /x.yaml: expected a map of options"},
        BadYamlCase{"allowlist: [unclosed\n", "config /x.yaml: invalid YAML: "}));

TEST_P(BadYaml, NamesFileAndKey) {
  const auto layer = layer_from_yaml(GetParam().yaml, kOrigin);
  ASSERT_FALSE(layer.ok()) << GetParam().yaml;
  EXPECT_EQ(layer.error().message.rfind(GetParam().message_start, 0), 0U) << layer.error().message;
}

}  // namespace
}  // namespace jk::launcher::config
