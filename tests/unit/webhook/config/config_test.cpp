// The admin config: schema, defaults, validation messages (path + reason + position).
#include "webhook/config/config.h"

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>

#include "webhook/config/duration.h"

namespace jk::config {
namespace {

using launchspec::JailType;
using std::chrono::milliseconds;

TEST(DefaultConfig, ParsesToTheStructDefaults) {
  const auto parsed = parse_config(default_config_yaml());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const Config defaults;
  EXPECT_TRUE(parsed->server == defaults.server);
  EXPECT_TRUE(parsed->policy.profiles == defaults.policy.profiles);
  EXPECT_TRUE(parsed->policy == defaults.policy);
  EXPECT_TRUE(*parsed == defaults);
}

TEST(DefaultConfig, EmptyDocumentIsTheDefaults) {
  for (const char* yaml : {"", "# nothing\n", "{}", "server:\n"}) {
    const auto parsed = parse_config(yaml);
    ASSERT_TRUE(parsed.ok()) << yaml << ": " << parsed.error().message;
    EXPECT_TRUE(*parsed == Config{}) << yaml;
  }
}

TEST(ExampleConfig, DeployExampleLoads) {
  const auto parsed = load_config_file(std::string(JK_SOURCE_DIR) + "/deploy/examples/config.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_TRUE(parsed->policy.policies.count("default"));
  EXPECT_FALSE(parsed->policy.policies.at("default").allow.empty());
}

TEST(LoadConfigFile, MissingFileSaysWhy) {
  const auto parsed = load_config_file("/nonexistent/jailkeeper.yaml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message,
            "config file /nonexistent/jailkeeper.yaml: No such file or directory");
}

struct ValidCase {
  std::string name;
  std::string yaml;
  std::function<void(const Config&)> check;
};
void PrintTo(const ValidCase& c, std::ostream* os) { *os << c.name; }

class ValidConfig : public testing::TestWithParam<ValidCase> {};

TEST_P(ValidConfig, Parses) {
  const auto parsed = parse_config(GetParam().yaml);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  GetParam().check(*parsed);
}

INSTANTIATE_TEST_SUITE_P(
    Schema, ValidConfig,
    testing::Values(
        ValidCase{"log_level", "logLevel: debug",
                  [](const Config& c) { EXPECT_EQ(c.log_level, log::Level::kDebug); }},
        ValidCase{"server_limits",
                  "server:\n  maxBodyBytes: 1024\n  maxHeaderBytes: 2048\n  maxConnections: 7\n"
                  "  workerThreads: 0\n  listen: 127.0.0.1:0\n  tlsCert: /tls/tls.crt\n",
                  [](const Config& c) {
                    EXPECT_EQ(c.server.max_body_bytes, 1024u);
                    EXPECT_EQ(c.server.max_header_bytes, 2048u);
                    EXPECT_EQ(c.server.max_connections, 7u);
                    EXPECT_EQ(c.server.listen, "127.0.0.1:0");
                    EXPECT_EQ(c.server.tls_cert, "/tls/tls.crt");
                    EXPECT_EQ(c.server.read_timeout,
                              server::ServerOptions{}.read_timeout);  // untouched
                  }},
        ValidCase{"server_durations",
                  "server: {handshakeTimeout: 250ms, readTimeout: 2m, idleTimeout: 1h, "
                  "shutdownGrace: 0s, certReloadInterval: 30s}",
                  [](const Config& c) {
                    EXPECT_EQ(c.server.handshake_timeout, milliseconds(250));
                    EXPECT_EQ(c.server.read_timeout, milliseconds(120000));
                    EXPECT_EQ(c.server.idle_timeout, milliseconds(3600000));
                    EXPECT_EQ(c.server.shutdown_grace, milliseconds(0));
                    EXPECT_EQ(c.server.cert_reload_interval, milliseconds(30000));
                  }},
        ValidCase{"server_robustness",
                  "server: {shutdownDelay: 2s, lingerTimeout: 0s, maxMetricsConnections: 8, "
                  "maxRequestMemoryBytes: 12582912}",
                  [](const Config& c) {
                    EXPECT_EQ(c.server.shutdown_delay, milliseconds(2000));
                    EXPECT_EQ(c.server.linger_timeout, milliseconds(0));
                    EXPECT_EQ(c.server.max_metrics_connections, 8u);
                    EXPECT_EQ(c.server.max_request_memory_bytes, 12582912u);  // 4/3 of 8 MiB
                  }},
        ValidCase{"grant_sys_admin", "bottlerocketGrant: sys-admin",
                  [](const Config& c) {
                    policy::Profile want = policy::Profiles{}.bottlerocket;
                    want.seccomp_lift = policy::SeccompLift::kCapability;
                    EXPECT_EQ(c.policy.profiles.bottlerocket, want);
                    // Only Bottlerocket changes.
                    EXPECT_EQ(c.policy.profiles.unknown, policy::Profiles{}.unknown);
                  }},
        ValidCase{"grant_seccomp_unconfined", "bottlerocketGrant: seccomp-unconfined",
                  [](const Config& c) {
                    EXPECT_EQ(c.policy.profiles.bottlerocket, policy::Profiles{}.bottlerocket);
                    EXPECT_EQ(c.policy.profiles.bottlerocket.seccomp_lift,
                              policy::SeccompLift::kUnconfined);
                  }},
        ValidCase{
            "grant_and_other_bottlerocket_keys_combine",
            "bottlerocketGrant: sys-admin\nprofiles:\n  bottlerocket: {seccompDefault: false}",
            [](const Config& c) {
              policy::Profile want = policy::Profiles{}.bottlerocket;
              want.seccomp_lift = policy::SeccompLift::kCapability;
              want.seccomp_default = false;
              EXPECT_EQ(c.policy.profiles.bottlerocket, want);
            }},
        ValidCase{"profile_keys_override_the_defaults",
                  "profiles:\n  amazonLinux: {capabilities: [SYS_ADMIN, NET_ADMIN, NET_ADMIN],\n"
                  "    runtimeDefaultGrant: seccomp-unconfined, seccompDefault: true}",
                  [](const Config& c) {
                    // Sorted and unique; keys not given keep the built-in profile's values.
                    policy::Profile want = policy::Profiles{}.amazon_linux;
                    want.capabilities = {"NET_ADMIN", "SYS_ADMIN"};
                    want.seccomp_lift = policy::SeccompLift::kUnconfined;
                    want.seccomp_default = true;
                    EXPECT_EQ(c.policy.profiles.amazon_linux, want);
                  }},
        ValidCase{"profile_fargate_seccompjail",
                  "profiles:\n  fargate: {jail: seccompjail}\n  other: {jail: landjail, fallback: "
                  "[seccompjail, nsjail]}",
                  [](const Config& c) {
                    policy::Profile want = policy::Profiles{}.fargate;
                    want.jail = JailType::kSeccompjail;
                    want.fallback = {};
                    EXPECT_EQ(c.policy.profiles.fargate, want);
                    EXPECT_EQ(c.policy.profiles.other.fallback,
                              (std::vector<JailType>{JailType::kSeccompjail, JailType::kNsjail}));
                  }},
        ValidCase{"pools",
                  "pools:\n"
                  "  - name: secure-bottlerocket\n"
                  "    selector: {karpenter.sh/nodepool: secure}\n"
                  "    os: bottlerocket\n"
                  "    kernel: \"6.1.0\"\n"
                  "    userNamespaces: false\n"
                  "    taints: [{key: k, value: v, effect: NoSchedule}]\n"
                  "  - name: plain\n"
                  "    selector: {team: a, tier: b}\n",
                  [](const Config& c) {
                    ASSERT_EQ(c.policy.pools.size(), 2u);
                    const policy::Pool& p = c.policy.pools[0];
                    EXPECT_EQ(p.name, "secure-bottlerocket");
                    EXPECT_EQ(p.selector.at("karpenter.sh/nodepool"), "secure");
                    EXPECT_EQ(p.os, policy::NodeOs::kBottlerocket);
                    EXPECT_EQ(p.kernel, (policy::KernelVersion{6, 1, 0}));
                    EXPECT_FALSE(p.user_namespaces);
                    EXPECT_EQ(p.taints, (std::vector<policy::Taint>{{"k", "v", "NoSchedule"}}));
                    EXPECT_EQ(c.policy.pools[1].selector.size(), 2u);
                    EXPECT_FALSE(c.policy.pools[1].os.has_value());
                    EXPECT_TRUE(c.policy.pools[1].user_namespaces);
                  }},
        ValidCase{
            "strategies",
            "strategies: {mixed: deny, unknown: deny, fargateOldKernel: deny, podSecurity: warn}",
            [](const Config& c) {
              EXPECT_EQ(c.policy.mixed, policy::MixedStrategy::kDeny);
              EXPECT_EQ(c.policy.unknown, policy::UnknownStrategy::kDeny);
              EXPECT_EQ(c.policy.fargate_old_kernel, policy::OldKernelStrategy::kDeny);
              EXPECT_EQ(c.policy.pod_security, policy::PodSecurityStrategy::kWarn);
            }},
        ValidCase{"policies",
                  "policies:\n  ci:\n    allow: [\"domain=github.com\", "
                  "\"domain=*.githubusercontent.com method=GET\"]\n",
                  [](const Config& c) {
                    ASSERT_EQ(c.policy.policies.size(), 2u);  // "default" always exists
                    EXPECT_TRUE(c.policy.policies.at("default").allow.empty());
                    EXPECT_EQ(
                        c.policy.policies.at("ci").allow,
                        (std::vector<std::string>{"domain=github.com",
                                                  "domain=*.githubusercontent.com method=GET"}));
                  }},
        ValidCase{"launcher_and_skip",
                  "launcher: {image: reg/jk:1, imagePullPolicy: Always, proxyPort: 3128,\n"
                  "           architectures: [arm64]}\n"
                  "skipNamespaces: [kube-system, monitoring]",
                  [](const Config& c) {
                    EXPECT_EQ(c.policy.launcher.image, "reg/jk:1");
                    EXPECT_EQ(c.policy.launcher.architectures, std::vector<std::string>{"arm64"});
                    EXPECT_EQ(c.policy.launcher.image_pull_policy, "Always");
                    EXPECT_EQ(c.policy.launcher.proxy_port, 3128);
                    EXPECT_EQ(c.policy.skip_namespaces,
                              (std::vector<std::string>{"kube-system", "monitoring"}));
                  }}),
    [](const testing::TestParamInfo<ValidCase>& param_info) { return param_info.param.name; });

struct ErrorCase {
  std::string name;
  std::string yaml;
  std::string expected;  // substring of the message
};
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class InvalidConfig : public testing::TestWithParam<ErrorCase> {};

TEST_P(InvalidConfig, SaysWhereAndWhy) {
  const auto parsed = parse_config(GetParam().yaml);
  ASSERT_FALSE(parsed.ok()) << GetParam().yaml;
  EXPECT_NE(parsed.error().message.find(GetParam().expected), std::string::npos)
      << parsed.error().message;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Validation, InvalidConfig,
    testing::Values(
        ErrorCase{"syntax", "server: [", "config: "},
        ErrorCase{"request_memory_below_body",
                  "server: {maxBodyBytes: 8388608, maxRequestMemoryBytes: 8388608}",
                  "server.maxRequestMemoryBytes: 8388608 is too small for server.maxBodyBytes "
                  "(8388608): it must be at least 4/3 of it"},
        ErrorCase{"metrics_connections_zero", "server: {maxMetricsConnections: 0}",
                  "server.maxMetricsConnections"},
        ErrorCase{"syntax_position", "a: b\nc: [d\n", "(line "},
        ErrorCase{"top_level_list", "- a", "config: expected a map at the top level, got a list"},
        ErrorCase{"unknown_top_key", "logLevl: info", "logLevl: unknown key (expected one of: logLevel, server"},
        ErrorCase{"unknown_nested_key", "server:\n  maxBody: 1", "server.maxBody: unknown key (expected one of: listen"},
        ErrorCase{"unknown_key_position", "server:\n  maxBody: 1", "(line 2, column 12)"},
        ErrorCase{"duplicate_key", "logLevel: info\nlogLevel: warn", "logLevel: duplicate key"},
        ErrorCase{"log_level", "logLevel: verbose", "logLevel: expected one of debug, info, warn, error, got \"verbose\" (line 1, column 11)"},
        ErrorCase{"body_bytes_word", "server:\n  maxBodyBytes: lots", "server.maxBodyBytes: expected a positive integer, got \"lots\" (line 2, column 17)"},
        ErrorCase{"body_bytes_zero", "server: {maxBodyBytes: 0}", "server.maxBodyBytes: expected a positive integer, got \"0\""},
        ErrorCase{"body_bytes_negative", "server: {maxBodyBytes: -1}", "server.maxBodyBytes: expected a positive integer, got \"-1\""},
        ErrorCase{"header_bytes_too_big", "server: {maxHeaderBytes: 4294967296}", "server.maxHeaderBytes: expected at most 4294967295"},
        ErrorCase{"worker_threads_list", "server: {workerThreads: [1]}", "server.workerThreads: expected a non-negative integer, got a list"},
        ErrorCase{"server_not_map", "server: 5", "server: expected a map, got \"5\""},
        ErrorCase{"listen", "server: {listen: localhost}", "server.listen: expected host:port"},
        ErrorCase{"duration_no_unit", "server: {readTimeout: 10}", "server.readTimeout: expected a duration like 250ms, 5s, 2m or 1h, got \"10\""},
        ErrorCase{"duration_junk", "server: {readTimeout: soon}", "server.readTimeout: expected a duration"},
        ErrorCase{"duration_negative", "server: {readTimeout: -5s}", "server.readTimeout: expected a duration"},
        ErrorCase{"duration_zero", "server: {handshakeTimeout: 0s}", "server.handshakeTimeout: expected a duration above zero, got \"0s\""},
        ErrorCase{"grant_unknown", "bottlerocketGrant: root", "bottlerocketGrant: expected one of seccomp-unconfined, sys-admin, got \"root\""},
        ErrorCase{"grant_and_profile", "bottlerocketGrant: sys-admin\nprofiles:\n  bottlerocket: {runtimeDefaultGrant: capability}", "set either bottlerocketGrant or profiles.bottlerocket.runtimeDefaultGrant, not both"},
        ErrorCase{"unknown_profile", "profiles: {windows: {}}", "profiles.windows: unknown key (expected one of: amazonLinux"},
        ErrorCase{"unknown_profile_key", "profiles: {other: {caps: []}}", "profiles.other.caps: unknown key"},
        ErrorCase{"unknown_jail", "profiles: {other: {jail: chroot}}", "profiles.other.jail: expected one of nsjail, landjail, seccompjail, got \"chroot\""},
        ErrorCase{"unknown_capability", "profiles:\n  bottlerocket: {capabilities: [NET_ADMIN, NET_ADMN]}", "profiles.bottlerocket.capabilities[1]: unknown capability \"NET_ADMN\""},
        ErrorCase{"cap_prefix", "profiles: {other: {capabilities: [CAP_NET_ADMIN]}}", "profiles.other.capabilities[0]: write \"NET_ADMIN\" without the CAP_ prefix"},
        ErrorCase{"cap_lower_case", "profiles: {other: {capabilities: [net_admin]}}", "profiles.other.capabilities[0]: capability names are upper case: write \"NET_ADMIN\""},
        ErrorCase{"cap_not_list", "profiles: {other: {capabilities: NET_ADMIN}}", "profiles.other.capabilities: expected a list, got \"NET_ADMIN\""},
        ErrorCase{"lift_unknown", "profiles: {other: {runtimeDefaultGrant: sys-admin}}", "profiles.other.runtimeDefaultGrant: expected one of seccomp-unconfined, capability"},
        ErrorCase{"pool_seccomp_default_word", "pools: [{name: a, selector: {x: y}, seccompDefault: on}]", "pools[0].seccompDefault: expected true or false"},
        ErrorCase{"fallback_self", "profiles: {fargate: {jail: landjail, fallback: [landjail]}}", "profiles.fargate.fallback: may not contain the profile's own jail landjail"},
        ErrorCase{"fallback_duplicate", "profiles: {fargate: {jail: landjail, fallback: [seccompjail, seccompjail]}}", "profiles.fargate.fallback[1]: duplicate fallback jail"},
        ErrorCase{"userns_not_nsjail", "profiles: {fargate: {jail: landjail, userNamespace: false}}", "profiles.fargate.userNamespace: false is only meaningful for nsjail"},
        ErrorCase{"fargate_caps", "profiles: {fargate: {jail: landjail, capabilities: [NET_ADMIN]}}", "profiles.fargate.capabilities: capabilitiesAllowed is false on these nodes"},
        ErrorCase{"caps_not_allowed", "profiles: {other: {capabilitiesAllowed: false, capabilities: [NET_ADMIN]}}", "profiles.other.capabilities: capabilitiesAllowed is false on these nodes"},
        ErrorCase{"bool_word", "profiles: {other: {seccompUnconfined: yes}}", "profiles.other.seccompUnconfined: expected true or false, got \"yes\""},
        ErrorCase{"pools_not_list", "pools: {a: b}", "pools: expected a list, got a map"},
        ErrorCase{"pool_no_name", "pools: [{selector: {a: b}}]", "pools[0].name: required"},
        ErrorCase{"pool_no_selector", "pools: [{name: a}]", "pools[0].selector: required"},
        ErrorCase{"pool_empty_selector", "pools: [{name: a, selector: {}}]", "pools[0].selector: expected a non-empty map of node labels, got a map"},
        ErrorCase{"pool_duplicate", "pools: [{name: a, selector: {x: y}}, {name: a, selector: {x: z}}]", "pools[1].name: duplicate pool name \"a\""},
        ErrorCase{"pool_os", "pools: [{name: a, selector: {x: y}, os: windows}]", "pools[0].os: expected one of amazon-linux, bottlerocket, fargate, other, got \"windows\""},
        ErrorCase{"pool_kernel", "pools: [{name: a, selector: {x: y}, kernel: latest}]", "pools[0].kernel: expected a kernel version like 6.1.0, got \"latest\""},
        ErrorCase{"pool_taint_effect", "pools: [{name: a, selector: {x: y}, taints: [{key: k, effect: Sometimes}]}]", "pools[0].taints[0].effect: expected one of NoSchedule, PreferNoSchedule, NoExecute"},
        ErrorCase{"pool_taint_key", "pools: [{name: a, selector: {x: y}, taints: [{effect: NoSchedule}]}]", "pools[0].taints[0].key: required"},
        ErrorCase{"pool_unknown_key", "pools: [{name: a, selector: {x: y}, zone: z}]", "pools[0].zone: unknown key"},
        ErrorCase{"strategy", "strategies: {mixed: pick}", "strategies.mixed: expected one of union, deny, got \"pick\""},
        ErrorCase{"rule_invalid", "policies:\n  default:\n    allow: [\"domain=github.com\", \"method=GET, POST\"]",
                  "policies.default.allow[1]: rule \"method=GET, POST\": column 12: unexpected ' '"},
        ErrorCase{"rule_not_string", "policies: {default: {allow: [{domain: x}]}}", "policies.default.allow[0]: expected a string, got a map"},
        ErrorCase{"policy_unknown_key", "policies: {default: {deny: []}}", "policies.default.deny: unknown key (expected one of: allow)"},
        ErrorCase{"pull_policy", "launcher: {imagePullPolicy: Sometimes}", "launcher.imagePullPolicy: expected one of Always, IfNotPresent, Never"},
        ErrorCase{"proxy_port", "launcher: {proxyPort: 70000}", "launcher.proxyPort: expected at most 65535"},
        ErrorCase{"architectures_empty", "launcher: {architectures: []}", "launcher.architectures: names no architecture"},
        ErrorCase{"architecture_name", "launcher: {architectures: [amd64, \"linux/arm64\"]}", "launcher.architectures: 'linux/arm64' is not an architecture name"},
        ErrorCase{"architectures_scalar", "launcher: {architectures: arm64}", "launcher.architectures: expected a list"},
        ErrorCase{"image_empty", "launcher: {image: \"\"}", "launcher.image: expected a non-empty string"},
        ErrorCase{"skip_namespaces", "skipNamespaces: kube-system", "skipNamespaces: expected a list, got \"kube-system\""}),
    [](const testing::TestParamInfo<ErrorCase>& param_info) { return param_info.param.name; });
// clang-format on

struct DurationCase {
  std::string text;
  long long expected_ms;  // -1: rejected
};
void PrintTo(const DurationCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class Durations : public testing::TestWithParam<DurationCase> {};

TEST_P(Durations, Parse) {
  const auto d = parse_duration(GetParam().text);
  if (GetParam().expected_ms < 0) {
    EXPECT_FALSE(d.has_value()) << d->count();
  } else {
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->count(), GetParam().expected_ms);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Config, Durations,
    testing::Values(DurationCase{"250ms", 250}, DurationCase{"5s", 5000},
                    DurationCase{"2m", 120000}, DurationCase{"1h", 3600000}, DurationCase{"0s", 0},
                    DurationCase{"90s", 90000},
                    DurationCase{"576h", 2073600000},  // the longest accepted: 24 days
                    DurationCase{"577h", -1}, DurationCase{"99999999999999999999s", -1},
                    DurationCase{"", -1}, DurationCase{"5", -1}, DurationCase{"s", -1},
                    DurationCase{"-5s", -1}, DurationCase{"+5s", -1}, DurationCase{"1.5s", -1},
                    DurationCase{"5 s", -1}, DurationCase{" 5s", -1}, DurationCase{"5sec", -1},
                    DurationCase{"5S", -1}, DurationCase{"1m30s", -1}, DurationCase{"5d", -1}));

}  // namespace
}  // namespace jk::config
