#pragma once
// Read-only navigation of untrusted Boost.JSON values without exceptions: a missing key, or a
// lookup on a value that is not an object, yields a shared null.
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace jk::review {

const boost::json::value& json_at(const boost::json::value& v, std::string_view key);

inline std::string_view text_of(const boost::json::string& s) { return {s.data(), s.size()}; }

// The value's string, or "" when it is not a string.
std::string_view string_or_empty(const boost::json::value& v);

}  // namespace jk::review
