#pragma once
// The DNS stub's answers, as a pure function of the query bytes (fuzzed: tests/fuzz/dns_fuzz).
// Every name resolves to the placeholder addresses (BOUNDARY-COMPAT.md): A 6.6.6.6 and
// AAAA 2001:db8::1; the proxy resolves the real name. Other types get NOERROR with no answer.
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace jk::launcher::net {

inline constexpr std::uint32_t kPlaceholderTtlSeconds = 60;

// A response for `query`: the answer, or a header-only FORMERR (bad question) / NOTIMP (opcode
// other than QUERY). An error (nothing to send) when the bytes cannot be a query at all: shorter
// than a header, or a response (QR set).
Result<std::vector<std::uint8_t>> answer(std::span<const std::uint8_t> query);

}  // namespace jk::launcher::net
