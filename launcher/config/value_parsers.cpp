#include "launcher/config/value_parsers.h"

#include <array>
#include <limits>

#include "common/strings.h"

namespace jk::launcher::config {
namespace {

Error bad_value(std::string_view origin, std::string_view expected, std::string_view text) {
  return make_error(std::string(origin) + ": expected " + std::string(expected) + ", got \"" +
                    std::string(text) + "\"");
}

}  // namespace

Result<bool> parse_bool_value(std::string_view text, std::string_view origin) {
  static constexpr std::array<std::string_view, 6> kTrue = {"1", "t", "T", "TRUE", "true", "True"};
  static constexpr std::array<std::string_view, 6> kFalse = {"0",     "f",     "F",
                                                             "FALSE", "false", "False"};
  for (const std::string_view t : kTrue) {
    if (text == t) return true;
  }
  for (const std::string_view f : kFalse) {
    if (text == f) return false;
  }
  return bad_value(origin, "a boolean (true or false)", text);
}

Result<std::uint16_t> parse_port_value(std::string_view text, std::string_view origin) {
  const auto n = parse_u64(text);
  if (!n || *n == 0 || *n > std::numeric_limits<std::uint16_t>::max()) {
    return bad_value(origin, "a port 1..65535", text);
  }
  return static_cast<std::uint16_t>(*n);
}

Result<log::Level> parse_log_level_value(std::string_view text, std::string_view origin) {
  log::Level level = kDefaultLogLevel;
  if (!log::parse_level(text, level)) return bad_value(origin, "error, warn, info or debug", text);
  return level;
}

Result<JailChoice> parse_jail_choice_value(std::string_view text, std::string_view origin) {
  for (const JailChoice c :
       {JailChoice::kAuto, JailChoice::kNsjail, JailChoice::kLandjail, JailChoice::kSeccompjail}) {
    if (text == jail_choice_name(c)) return c;
  }
  return bad_value(origin, "nsjail, landjail, seccompjail or auto", text);
}

}  // namespace jk::launcher::config
