#pragma once
// `jailkeeper-launch explain METHOD URL`: the decision the proxy would take for a request, and
// the rule (with its origin) that allows it, or an --allow rule that would.
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "common/result.h"
#include "launcher/config/launch_options.h"

namespace jk::launcher::cli {

inline constexpr int kExitAllowed = 0;
inline constexpr int kExitDenied = 1;
inline constexpr int kExitUsage = 2;

struct Explanation {
  bool allowed = false;
  bool refused = false;    // the proxy would answer 400: the path cannot be judged unambiguously
  std::string reason;      // why (refused)
  std::string target;      // the canonical target the proxy judges and forwards
  std::string rule;        // the matching rule's text (allowed)
  std::string origin;      // where it came from (allowed)
  std::string suggestion;  // a rule that would allow it (denied)
};

// Pure: validates METHOD and URL, then evaluates the rules.
Result<Explanation> explain_request(const config::LaunchOptions& options, std::string_view method,
                                    std::string_view url);

// Prints `ALLOW <rule>` / `DENY` / `REFUSE` plus explaining lines; returns the exit code (a refusal
// is a denial: 1).
int print_explanation(const Explanation& e, std::ostream& out);

}  // namespace jk::launcher::cli
