#pragma once
#include <string>
#include <string_view>

namespace jk {

// Standard base64 with padding (RFC 4648 section 4), as AdmissionResponse.patch requires.
std::string base64_encode(std::string_view data);

}  // namespace jk
