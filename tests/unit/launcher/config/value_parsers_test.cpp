#include "launcher/config/value_parsers.h"

#include <gtest/gtest.h>

namespace jk::launcher::config {
namespace {

struct BoolCase {
  const char* text;
  bool ok;
  bool value;
};

class BoolParsing : public ::testing::TestWithParam<BoolCase> {};

// Go's strconv.ParseBool spellings, which is what boundary's env and flags accept.
INSTANTIATE_TEST_SUITE_P(
    GoSpellings, BoolParsing,
    ::testing::Values(BoolCase{"1", true, true}, BoolCase{"t", true, true},
                      BoolCase{"T", true, true}, BoolCase{"TRUE", true, true},
                      BoolCase{"true", true, true}, BoolCase{"True", true, true},
                      BoolCase{"0", true, false}, BoolCase{"f", true, false},
                      BoolCase{"F", true, false}, BoolCase{"FALSE", true, false},
                      BoolCase{"false", true, false}, BoolCase{"False", true, false},
                      BoolCase{"yes", false, false}, BoolCase{"tRuE", false, false},
                      BoolCase{" true", false, false}, BoolCase{"2", false, false}));

TEST_P(BoolParsing, AcceptsExactlyGoSpellings) {
  const auto r = parse_bool_value(GetParam().text, "BOUNDARY_USE_REAL_DNS");
  ASSERT_EQ(r.ok(), GetParam().ok) << GetParam().text;
  if (r.ok()) {
    EXPECT_EQ(*r, GetParam().value);
  } else {
    EXPECT_EQ(r.error().message, std::string("BOUNDARY_USE_REAL_DNS: expected a boolean (true or "
                                             "false), got \"") +
                                     GetParam().text + "\"");
  }
}

TEST(PortParsing, AcceptsOneTo65535AndNamesTheOriginOtherwise) {
  EXPECT_EQ(*parse_port_value("1", "PROXY_PORT"), 1);
  EXPECT_EQ(*parse_port_value("65535", "PROXY_PORT"), 65535);
  for (const char* bad : {"0", "65536", "-1", "80a", "", " 80", "99999999999999999999999"}) {
    const auto r = parse_port_value(bad, "PROXY_PORT");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message,
              std::string("PROXY_PORT: expected a port 1..65535, got \"") + bad + "\"");
  }
}

TEST(LogLevelParsing, FourLevelsOnly) {
  EXPECT_EQ(*parse_log_level_value("error", "x"), log::Level::kError);
  EXPECT_EQ(*parse_log_level_value("warn", "x"), log::Level::kWarn);
  EXPECT_EQ(*parse_log_level_value("info", "x"), log::Level::kInfo);
  EXPECT_EQ(*parse_log_level_value("debug", "x"), log::Level::kDebug);
  const auto r = parse_log_level_value("WARN", "--log-level");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "--log-level: expected error, warn, info or debug, got \"WARN\"");
}

TEST(JailChoiceParsing, FourChoices) {
  EXPECT_EQ(*parse_jail_choice_value("auto", "x"), JailChoice::kAuto);
  EXPECT_EQ(*parse_jail_choice_value("nsjail", "x"), JailChoice::kNsjail);
  EXPECT_EQ(*parse_jail_choice_value("landjail", "x"), JailChoice::kLandjail);
  EXPECT_EQ(*parse_jail_choice_value("seccompjail", "x"), JailChoice::kSeccompjail);
  const auto r = parse_jail_choice_value("docker", "BOUNDARY_JAIL_TYPE");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "BOUNDARY_JAIL_TYPE: expected nsjail, landjail, seccompjail or auto, got \"docker\"");
}

}  // namespace
}  // namespace jk::launcher::config
