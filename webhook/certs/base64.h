#pragma once
// Base64 of Secret data and caBundle fields (standard alphabet, padded). Private to webhook/certs.
#include <optional>
#include <string>
#include <string_view>

namespace jk::certs {

std::string base64_encode(std::string_view data);
// nullopt when the text is not valid padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace jk::certs
