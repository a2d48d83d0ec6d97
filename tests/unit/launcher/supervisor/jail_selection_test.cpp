#include "launcher/supervisor/jail_selection.h"

#include <gtest/gtest.h>

namespace jk::launcher::supervisor {
namespace {

using config::JailChoice;
using launchspec::JailType;

const Status kOk{};
const Status kNoNetAdmin = make_error("needs CAP_NET_ADMIN");
const Status kOldKernel = make_error("Landlock ABI 3 < 4");
const Status kNoSeccomp = make_error("seccomp refused");

struct Case {
  const char* name;
  JailChoice requested;
  std::vector<JailType> fallback;
  JailAvailability availability;
  std::optional<JailKind> chosen;  // nullopt: refuse
  const char* message_part;        // in the refusal, or in the notes when chosen
};

class ChooseJail : public ::testing::TestWithParam<Case> {};

INSTANTIATE_TEST_SUITE_P(
    Table, ChooseJail,
    ::testing::Values(
        Case{"auto_prefers_nsjail", JailChoice::kAuto, {}, {kOk, kOk, kOk}, JailKind::kNsjail, ""},
        Case{"auto_then_landjail",
             JailChoice::kAuto,
             {},
             {kNoNetAdmin, kOk, kOk},
             JailKind::kLandjail,
             "nsjail: needs CAP_NET_ADMIN"},
        Case{"auto_then_seccompjail",
             JailChoice::kAuto,
             {},
             {kNoNetAdmin, kOldKernel, kOk},
             JailKind::kSeccompjail,
             "landjail: Landlock ABI 3 < 4"},
        Case{"auto_skips_jails_not_built",
             JailChoice::kAuto,
             {},
             {std::nullopt, kOk, std::nullopt},
             JailKind::kLandjail,
             "nsjail: not built into this launcher"},
        Case{"auto_refuses_listing_every_reason",
             JailChoice::kAuto,
             {},
             {kNoNetAdmin, kOldKernel, kNoSeccomp},
             std::nullopt,
             "nsjail: needs CAP_NET_ADMIN; landjail: Landlock ABI 3 < 4; seccompjail: seccomp "
             "refused"},
        Case{"requested_is_used",
             JailChoice::kLandjail,
             {},
             {kOk, kOk, kOk},
             JailKind::kLandjail,
             ""},
        Case{"requested_unavailable_refuses",
             JailChoice::kNsjail,
             {},
             {kNoNetAdmin, kOk, kOk},
             std::nullopt,
             "nsjail: needs CAP_NET_ADMIN)"},
        Case{"requested_unavailable_uses_fallback",
             JailChoice::kLandjail,
             {JailType::kSeccompjail},
             {kOk, kOldKernel, kOk},
             JailKind::kSeccompjail,
             "landjail: Landlock ABI 3 < 4"},
        Case{"fallbacks_in_order",
             JailChoice::kNsjail,
             {JailType::kSeccompjail, JailType::kLandjail},
             {kNoNetAdmin, kOk, kOk},
             JailKind::kSeccompjail,
             "nsjail"},
        Case{"fallbacks_exhausted",
             JailChoice::kNsjail,
             {JailType::kLandjail},
             {kNoNetAdmin, kOldKernel, kOk},
             std::nullopt,
             "nsjail: needs CAP_NET_ADMIN; landjail: Landlock ABI 3 < 4)"},
        Case{"auto_ignores_duplicate_fallbacks",
             JailChoice::kAuto,
             {JailType::kNsjail},
             {kNoNetAdmin, kOldKernel, kNoSeccomp},
             std::nullopt,
             "(nsjail: needs CAP_NET_ADMIN; landjail"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST_P(ChooseJail, PicksOrRefusesWithEveryReason) {
  const Case& c = GetParam();
  auto selection = choose_jail(c.requested, c.fallback, c.availability);
  if (!c.chosen) {
    ASSERT_FALSE(selection.ok()) << jail_kind_name(selection->kind);
    EXPECT_NE(selection.error().message.find("no jail can run here"), std::string::npos);
    EXPECT_NE(selection.error().message.find(c.message_part), std::string::npos)
        << selection.error().message;
    return;
  }
  ASSERT_TRUE(selection.ok()) << selection.error().message;
  EXPECT_EQ(selection->kind, *c.chosen);
  std::string notes;
  for (const auto& n : selection->notes) notes += n + "\n";
  if (std::string(c.message_part).empty()) {
    EXPECT_EQ(notes, "");
  } else {
    EXPECT_NE(notes.find(c.message_part), std::string::npos) << notes;
  }
}

}  // namespace
}  // namespace jk::launcher::supervisor
