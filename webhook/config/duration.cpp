#include "webhook/config/duration.h"

#include <array>
#include <cstdint>
#include <utility>

#include "common/strings.h"

namespace jk::config {

namespace {

// Longest duration accepted: timeouts beyond this are typos, and it keeps every value far
// from overflowing a 32-bit millisecond count in the libraries that receive them.
constexpr std::int64_t kMaxMilliseconds = std::int64_t{24} * 24 * 60 * 60 * 1000;

constexpr std::array<std::pair<std::string_view, std::int64_t>, 4> kUnits{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 60 * 60 * 1000},
}};

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  const std::size_t unit_pos = text.find_first_not_of("0123456789");
  if (unit_pos == 0 || unit_pos == std::string_view::npos) return std::nullopt;
  const auto number = parse_u64(text.substr(0, unit_pos));
  const std::string_view unit = text.substr(unit_pos);
  for (const auto& [name, factor] : kUnits) {
    if (unit != name) continue;
    if (!number || *number > static_cast<std::uint64_t>(kMaxMilliseconds / factor)) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(*number) * factor);
  }
  return std::nullopt;
}

}  // namespace jk::config
