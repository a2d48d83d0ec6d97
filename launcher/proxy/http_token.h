#pragma once
// RFC 9110 token characters (methods, header names).
#include <string>
#include <string_view>

namespace jk::launcher::proxy {

bool is_tchar(char c);
bool is_token(std::string_view s);
// ASCII lower-case copy.
std::string lower_ascii(std::string_view s);

}  // namespace jk::launcher::proxy
