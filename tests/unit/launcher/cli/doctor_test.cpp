#include "launcher/cli/doctor.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace jk::launcher::cli {
namespace {

DoctorReport fargate_like() {
  DoctorReport r;
  r.architecture = "aarch64";
  r.max_user_namespaces = 0;
  r.user_namespaces_reason = "user.max_user_namespaces is 0";
  r.effective_capabilities = {};
  r.bounding_capabilities = {"cap_chown", "cap_kill"};
  r.seccomp_mode = "filter";
  r.landlock_reason = "Landlock is disabled";
  r.nf_tables_reason = "socket(NETLINK_NETFILTER): Operation not permitted";
  r.jails = {{"nsjail", false, "needs CAP_NET_ADMIN"},
             {"landjail", false, "Landlock is disabled"},
             {"seccompjail", true, ""}};
  return r;
}

TEST(DoctorText, SaysWhatIsMissingAndWhichJailsCanRun) {
  const std::string text = format_doctor_text(fargate_like());
  const char* const lines[] = {
      "architecture:       aarch64 (the seccomp filters allow this ABI only)\n",
      "user namespaces:    no (user.max_user_namespaces is 0), user.max_user_namespaces=0\n",
      "capabilities:       none\n",
      "bounding set:       cap_chown,cap_kill\n",
      "seccomp mode:       filter\n",
      "Landlock ABI:       none (Landlock is disabled)\n",
      "nf_tables netlink:  no (socket(NETLINK_NETFILTER): Operation not permitted)\n",
      "  nsjail: cannot run: needs CAP_NET_ADMIN\n",
      "  landjail: cannot run: Landlock is disabled\n",
      "  seccompjail: can run\n"};
  for (const char* line : lines) EXPECT_NE(text.find(line), std::string::npos) << line << text;
}

TEST(DoctorJson, HasEveryFieldWithNullForUnknowns) {
  DoctorReport r = fargate_like();
  r.max_user_namespaces.reset();
  const auto j = nlohmann::json::parse(format_doctor_json(r));
  EXPECT_EQ(j["architecture"], "aarch64");
  EXPECT_EQ(j["user_namespaces"]["allowed"], false);
  EXPECT_TRUE(j["user_namespaces"]["max"].is_null());
  EXPECT_EQ(j["capabilities"]["effective"], nlohmann::json::array());
  EXPECT_EQ(j["capabilities"]["bounding"], nlohmann::json({"cap_chown", "cap_kill"}));
  EXPECT_EQ(j["seccomp_mode"], "filter");
  EXPECT_TRUE(j["landlock"]["abi"].is_null());
  EXPECT_EQ(j["nf_tables"]["available"], false);
  ASSERT_EQ(j["jails"].size(), 3U);
  EXPECT_EQ(j["jails"][2]["name"], "seccompjail");
  EXPECT_EQ(j["jails"][2]["available"], true);
  EXPECT_EQ(j["jails"][0]["reason"], "needs CAP_NET_ADMIN");
}

TEST(DoctorJson, GivesTheLandlockAbiAsANumber) {
  DoctorReport r = fargate_like();
  r.landlock_abi = 6;
  const auto j = nlohmann::json::parse(format_doctor_json(r));
  EXPECT_EQ(j["landlock"]["abi"], 6);
}

}  // namespace
}  // namespace jk::launcher::cli
