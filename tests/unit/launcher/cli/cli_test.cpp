#include "launcher/cli/cli.h"

#include <gtest/gtest.h>

#include <sstream>

#include "launcher/cli/explain.h"
#include "tests/unit/launcher/temp_dir.h"

namespace jk::launcher::cli {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome run_cli(const std::vector<std::string>& args, const config::Environment& env = {}) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = run(args, env, out, err);
  return {code, out.str(), err.str()};
}

struct CliCase {
  const char* name;
  std::vector<std::string> args;
  config::Environment env;
  int code;
  const char* out_start;  // prefix of stdout ("" to skip)
  const char* err_part;   // substring of stderr ("" to require it empty)
};

class Cli : public ::testing::TestWithParam<CliCase> {};

INSTANTIATE_TEST_SUITE_P(
    Table, Cli,
    ::testing::Values(
        CliCase{"explain_allow",
                {"explain", "--allow", "domain=a.com", "GET", "http://a.com/"},
                {},
                kExitAllowed,
                "ALLOW domain=a.com\n",
                ""},
        CliCase{"explain_deny", {"explain", "GET", "http://a.com/"}, {}, kExitDenied, "DENY\n", ""},
        CliCase{"explain_env_rule",
                {"explain", "GET", "http://a.com/"},
                {{"BOUNDARY_ALLOW", "domain=a.com"}},
                kExitAllowed,
                "ALLOW domain=a.com\n",
                ""},
        CliCase{"explain_flag_replaces_env",
                {"explain", "--allow", "domain=b.com", "GET", "http://a.com/"},
                {{"BOUNDARY_ALLOW", "domain=a.com"}},
                kExitDenied,
                "DENY\n",
                ""},
        CliCase{"explain_bad_rule",
                {"explain", "--allow", "domain=a.com:443", "GET", "http://a/"},
                {},
                kExitUsage,
                "",
                "explain: --allow[0]: rule \"domain=a.com:443\": column "},
        CliCase{"explain_bad_url",
                {"explain", "GET", "a.com"},
                {},
                kExitUsage,
                "",
                "expected an absolute http:// or https:// URL"},
        CliCase{"explain_missing_args",
                {"explain", "GET"},
                {},
                kExitUsage,
                "",
                "explain: expected METHOD URL"},
        CliCase{"explain_bad_env",
                {"explain", "GET", "http://a/"},
                {{"PROXY_PORT", "x"}},
                kExitUsage,
                "",
                "PROXY_PORT: expected a port"},
        CliCase{"explain_missing_spec",
                {"explain", "GET", "http://a/"},
                {{"JAILKEEPER_SPEC", "/nonexistent"}},
                kExitUsage,
                "",
                "spec /nonexistent: "},
        CliCase{"run_missing_agent_is_a_launcher_failure",
                {"--allow", "domain=a.com", "--", "/nonexistent/agent"},
                {},
                kExitLauncherFailure,
                "",
                "; not running \"/nonexistent/agent\""},
        CliCase{"doctor_bad_args", {"doctor", "-o", "xml"}, {}, kExitUsage, "", "doctor: "},
        CliCase{
            "run_bad_flag", {"--bogus", "--", "true"}, {}, kExitUsage, "", "unknown flag --bogus"},
        CliCase{"run_without_command",
                {"--allow", "domain=a.com"},
                {},
                kExitUsage,
                "",
                "expected [flags] -- COMMAND"},
        CliCase{"run_bad_rule", {"--allow", "", "--", "true"}, {}, kExitUsage, "", "--allow[0]: "},
        CliCase{"no_args", {}, {}, kExitUsage, "", "Usage:"},
        CliCase{"help", {"--help"}, {}, 0, "jailkeeper-launch: ", ""},
        CliCase{"version", {"version"}, {}, 0, "jailkeeper-launch ", ""},
        CliCase{
            "install_no_dir", {"install"}, {}, kExitUsage, "", "install: expected one argument"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST_P(Cli, ExitCodeAndOutput) {
  const CliCase& c = GetParam();
  const Outcome r = run_cli(c.args, c.env);
  EXPECT_EQ(r.code, c.code) << r.err;
  EXPECT_EQ(r.out.rfind(c.out_start, 0), 0U) << r.out;
  if (std::string(c.err_part).empty()) {
    EXPECT_EQ(r.err, "");
  } else {
    EXPECT_NE(r.err.find(c.err_part), std::string::npos) << r.err;
  }
}

TEST(Cli, ExplainUsesTheConfigFile) {
  const testing::TempDir dir;
  const std::string yaml = dir.write("c.yaml", "allowlist:\n  - domain=yaml.com\n");
  EXPECT_EQ(run_cli({"explain", "--config", yaml, "GET", "https://yaml.com/"}).code, kExitAllowed);
  EXPECT_EQ(run_cli({"explain", "GET", "https://yaml.com/"}, {{"BOUNDARY_CONFIG", yaml}}).code,
            kExitAllowed);
  const std::string bad = dir.write("bad.yaml", "allow: [domain=a.com]\n");
  const Outcome r = run_cli({"explain", "--config", bad, "GET", "https://a.com/"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("config " + bad + ": unknown key \"allow\""), std::string::npos) << r.err;
}

}  // namespace
}  // namespace jk::launcher::cli
