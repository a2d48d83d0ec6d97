#pragma once
// Reading Kubernetes API JSON safely (no exceptions): metadata fields and Status messages.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace jk::kube {

inline constexpr unsigned kHttpOk = 200;
inline constexpr unsigned kHttpGone = 410;

// obj[a][b] when both are objects/strings, else "".
std::string string_at(const nlohmann::json& obj, const char* a, const char* b = nullptr);
// "HTTP 401: Unauthorized" using the Status message in body when there is one.
std::string http_failure(unsigned status, std::string_view body);

}  // namespace jk::kube
