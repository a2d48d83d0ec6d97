#pragma once
// Small string helpers used by both binaries.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jk {

std::vector<std::string_view> split(std::string_view s, char sep);
std::string_view trim(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);
std::string to_lower(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// Parses a non-negative decimal integer that fits in uint64; no sign, no spaces.
std::optional<std::uint64_t> parse_u64(std::string_view s);
// Splits "host:port" / "[v6]:port"; port must be 0..65535.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};
std::optional<HostPort> parse_host_port(std::string_view s);

}  // namespace jk
