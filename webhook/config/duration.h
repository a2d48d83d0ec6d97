#pragma once
// Durations in the admin config: a whole number and a unit, "250ms", "5s", "2m", "1h".
#include <chrono>
#include <optional>
#include <string_view>

namespace jk::config {

// nullopt for anything else: no unit, a sign, a fraction, spaces, or more than ~24 days.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace jk::config
