#pragma once
// How much memory decoding a JSON text into a nlohmann::json DOM can take, computed from its
// shape by a SAX pass (no DOM is built): the per-value, per-container, per-member and string
// costs of std::vector/std::map/std::string with glibc malloc's chunk sizes, counting each
// array's storage three times (a vector doubling holds the old and the new storage at once).
// An upper bound, within 3x of the DOM left after parsing
// (tests/unit/webhook/server/json_cost_test.cpp); a DOM takes 1x (one long string) to ~32x
// (`[{},{},...]`) its text. Text that is not JSON costs nothing beyond its bytes (the handler
// refuses it before building anything).
#include <cstdint>
#include <string_view>

namespace jk::server {

// Bodies up to this size are charged kSmallBodyFactor x their size without a scan.
inline constexpr std::uint64_t kScanThreshold = 64 * 1024;
inline constexpr std::uint64_t kSmallBodyFactor = 40;

std::uint64_t json_dom_bytes(std::string_view text);
// kSmallBodyFactor x size for small bodies, json_dom_bytes for larger ones.
std::uint64_t decode_cost(std::string_view body);

}  // namespace jk::server
