#include "launcher/config/launch_options.h"

namespace jk::launcher::config {

std::string_view jail_choice_name(JailChoice choice) {
  switch (choice) {
    case JailChoice::kAuto:
      return "auto";
    case JailChoice::kNsjail:
      return "nsjail";
    case JailChoice::kLandjail:
      return "landjail";
    case JailChoice::kSeccompjail:
      return "seccompjail";
  }
  return "auto";
}

JailChoice from_spec_jail(launchspec::JailType jail) {
  switch (jail) {
    case launchspec::JailType::kNsjail:
      return JailChoice::kNsjail;
    case launchspec::JailType::kLandjail:
      return JailChoice::kLandjail;
    case launchspec::JailType::kSeccompjail:
      return JailChoice::kSeccompjail;
  }
  return JailChoice::kAuto;
}

std::vector<launchspec::Rule> LaunchOptions::rules() const {
  std::vector<launchspec::Rule> out;
  out.reserve(allow.size());
  for (const AllowRule& r : allow) out.push_back(r.rule);
  return out;
}

}  // namespace jk::launcher::config
