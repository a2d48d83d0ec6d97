#pragma once
// Pure checks on a request head (request line + header fields, as received), done before
// Beast's parser sees it: where the head ends, obsolete line folding (refused: RFC 9112 5.2
// lets a server reject it, and a folded header is a request-smuggling vector, Beast would
// accept it), and Expect: 100-continue.
#include <cstddef>
#include <optional>
#include <string_view>

namespace jk::server {

// The size of the head including its final CRLF CRLF, when `received` holds all of it. Bytes
// before `searched` were searched already (without a match).
std::optional<std::size_t> head_size(std::string_view received, std::size_t searched = 0);

// True when a line of the head (after the first) starts with a space or a tab.
bool has_obs_fold(std::string_view head);

// True for the Expect field value "100-continue" (case-insensitive; RFC 9110 10.1.1).
bool expects_continue(std::string_view expect_value);

}  // namespace jk::server
