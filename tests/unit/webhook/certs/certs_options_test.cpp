// `jailkeeper-webhook certs` flags: what the chart's Jobs pass, and what is refused.
#include <gtest/gtest.h>

#include "webhook/cli/args.h"
#include "webhook/cli/certs.h"

namespace jk::cli {
namespace {

const std::vector<FlagSpec> kFlags = {{"namespace", "n", true, "", ""},
                                      {"service", "", true, "", ""},
                                      {"secret", "", true, "", ""},
                                      {"webhook-config", "", true, "", ""},
                                      {"validity", "", true, "", ""},
                                      {"renew-before", "", true, "", ""},
                                      {"webhook-config-optional", "", false, "", ""},
                                      {"delete", "", false, "", ""},
                                      {"keep-secret", "", false, "", ""}};

const std::vector<std::string> kChartArgs = {"--namespace=jk", "--service=jailkeeper",
                                             "--secret=jailkeeper-tls",
                                             "--webhook-config=0600-jailkeeper.jailkeeper.io"};

Result<certs::CertsOptions> options(std::vector<std::string> extra, bool chart_args = true) {
  std::vector<std::string> argv = chart_args ? kChartArgs : std::vector<std::string>{};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto args = parse_args(argv, kFlags);
  if (!args.ok()) return args.error();
  return certs_options(*args);
}

TEST(CertsOptions, ThePreInstallJobsFlags) {
  auto o = options({"--validity=365", "--renew-before=30", "--webhook-config-optional"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->namespace_name, "jk");
  EXPECT_EQ(o->service, "jailkeeper");
  EXPECT_EQ(o->secret, "jailkeeper-tls");
  EXPECT_EQ(o->webhook_config, "0600-jailkeeper.jailkeeper.io");
  EXPECT_EQ(o->validity, std::chrono::hours(24 * 365));
  EXPECT_EQ(o->renew_before, std::chrono::hours(24 * 30));
  EXPECT_TRUE(o->webhook_config_optional);
  EXPECT_FALSE(o->remove);
  EXPECT_EQ(certs::serving_names(*o),
            (std::vector<std::string>{"jailkeeper.jk.svc", "jailkeeper.jk.svc.cluster.local"}));
}

TEST(CertsOptions, TheCleanupJobsFlags) {
  auto o = options({"--delete", "--keep-secret"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_TRUE(o->remove);
  EXPECT_TRUE(o->keep_secret);
}

TEST(CertsOptions, DefaultsAreAYearRenewedAMonthAhead) {
  auto o = options({});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->validity, std::chrono::hours(24 * 365));
  EXPECT_EQ(o->renew_before, std::chrono::hours(24 * 30));
}

struct Bad {
  std::vector<std::string> argv;
  bool chart_args;
  std::string error;
};

class CertsOptionsErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(CertsOptionsErrors, NameTheFlag) {
  auto o = options(GetParam().argv, GetParam().chart_args);
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.error().message.find(GetParam().error), std::string::npos) << o.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CertsOptionsErrors,
    ::testing::Values(
        Bad{{"--service=s", "--secret=x", "--webhook-config=w"}, false, "--namespace is required"},
        Bad{{"--namespace=n", "--service=s", "--webhook-config=w"}, false, "--secret is required"},
        Bad{{"--namespace=n", "--service=s", "--secret=x"}, false, "--webhook-config is required"},
        Bad{{"--namespace=n", "--secret=x", "--webhook-config=w"}, false, "--service is required"},
        Bad{{"--validity=abc"}, true, "--validity: expected a number of days from 1"},
        Bad{{"--validity=0"}, true, "--validity"}, Bad{{"--validity=99999"}, true, "--validity"},
        Bad{{"--renew-before=-1"}, true, "--renew-before"},
        Bad{{"--validity=10", "--renew-before=10"}, true, "must be shorter than --validity"},
        Bad{{"--keep-secret"}, true, "--keep-secret only goes with --delete"}));

TEST(CertsOptions, DeleteNeedsNoService) {
  EXPECT_TRUE(
      options({"--namespace=n", "--secret=x", "--webhook-config=w", "--delete"}, false).ok());
}

}  // namespace
}  // namespace jk::cli
