#pragma once
// The proxy's DNS client messages (resolver.h): an A or AAAA query, and the addresses a reply
// gives for it. Replies are untrusted bytes (fuzzed: tests/fuzz/dns_reply_fuzz). Pure.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "launchspec/address_prefix.h"

namespace jk::launcher::proxy {

inline constexpr std::uint16_t kDnsTypeA = 1;
inline constexpr std::uint16_t kDnsTypeAaaa = 28;
inline constexpr std::uint8_t kRcodeNoError = 0;
inline constexpr std::uint8_t kRcodeNxDomain = 3;

// A recursive query for `name` (lower-case, no trailing dot). Errors for names DNS cannot carry
// (empty labels, labels over 63 bytes, more than 253 bytes).
Result<std::vector<std::uint8_t>> build_query(std::uint16_t id, std::string_view name,
                                              std::uint16_t type);

struct DnsReply {
  std::uint8_t rcode = 0;
  bool truncated = false;                        // TC: ask again over TCP
  std::vector<launchspec::IpAddress> addresses;  // of `type`, for the name or its CNAME chain
};

// Checks that `reply` answers exactly the query (id, QR, one question equal to name/type/IN)
// and collects the addresses: records of `type` owned by the name or by the end of a CNAME
// chain starting at it (at most 8 links). An error for anything else (the resolver ignores it).
Result<DnsReply> parse_reply(std::span<const std::uint8_t> reply, std::uint16_t id,
                             std::string_view name, std::uint16_t type);

}  // namespace jk::launcher::proxy
