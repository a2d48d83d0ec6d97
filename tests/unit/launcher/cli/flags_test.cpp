#include "launcher/cli/flags.h"

#include <gtest/gtest.h>

namespace jk::launcher::cli {
namespace {

TEST(Flags, EveryFlagInBothSpellings) {
  const auto p = parse_flags({"--allow", "domain=a.com", "--allow=domain=b.com", "--config",
                              "/c.yaml", "--jail-type=landjail", "--no-user-namespace",
                              "--proxy-port", "3128", "--log-level=debug", "--log-dir", "/l",
                              "--use-real-dns=false", "GET", "https://x/"});
  ASSERT_TRUE(p.ok()) << p.error().message;
  const config::OptionLayer& f = p->flags;
  ASSERT_EQ(f.allow->size(), 2U);
  EXPECT_EQ((*f.allow)[0].text, "domain=a.com");
  EXPECT_EQ((*f.allow)[0].origin, "--allow[0]");
  EXPECT_EQ((*f.allow)[1].text, "domain=b.com");
  EXPECT_EQ((*f.allow)[1].origin, "--allow[1]");
  EXPECT_EQ(*f.config_path, "/c.yaml");
  EXPECT_EQ(*f.jail_type, config::JailChoice::kLandjail);
  EXPECT_TRUE(*f.no_user_namespace);
  EXPECT_EQ(*f.proxy_port, 3128);
  EXPECT_EQ(*f.log_level, log::Level::kDebug);
  EXPECT_EQ(*f.log_dir, "/l");
  EXPECT_FALSE(*f.use_real_dns);
  EXPECT_EQ(p->positional, (std::vector<std::string>{"GET", "https://x/"}));
  EXPECT_FALSE(p->has_separator);
}

TEST(Flags, EverythingAfterTheSeparatorIsTheCommand) {
  const auto p = parse_flags({"--allow", "domain=a.com", "--", "curl", "--allow", "-v"});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->has_separator);
  EXPECT_EQ(p->command, (std::vector<std::string>{"curl", "--allow", "-v"}));
  EXPECT_EQ(p->flags.allow->size(), 1U);
}

TEST(Flags, NoAllowFlagLeavesAllowUnset) {
  const auto p = parse_flags({"--", "true"});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->flags.allow);
}

struct BadFlagCase {
  std::vector<std::string> args;
  const char* message;
};

class BadFlag : public ::testing::TestWithParam<BadFlagCase> {};

INSTANTIATE_TEST_SUITE_P(
    Errors, BadFlag,
    ::testing::Values(
        BadFlagCase{{"--allw", "x"}, "unknown flag --allw"},
        BadFlagCase{{"--pprof=true"}, "unknown flag --pprof"},
        BadFlagCase{{"--allow"}, "--allow: missing value"},
        BadFlagCase{{"--proxy-port", "0"}, "--proxy-port: expected a port 1..65535, got \"0\""},
        BadFlagCase{{"--jail-type=docker"},
                    "--jail-type: expected nsjail, landjail, seccompjail or auto, got \"docker\""},
        BadFlagCase{{"--log-level", "loud"},
                    "--log-level: expected error, warn, info or debug, got \"loud\""},
        BadFlagCase{{"--no-user-namespace=maybe"},
                    "--no-user-namespace: expected a boolean (true or false), got \"maybe\""}));

TEST_P(BadFlag, NamesTheFlag) {
  const auto p = parse_flags(GetParam().args);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message, GetParam().message);
}

}  // namespace
}  // namespace jk::launcher::cli
