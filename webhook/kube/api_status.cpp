#include "webhook/kube/api_status.h"

namespace jk::kube {
namespace {
constexpr std::size_t kMaxQuotedBody = 200;
}  // namespace

std::string string_at(const nlohmann::json& obj, const char* a, const char* b) {
  if (!obj.is_object()) return "";
  const auto it = obj.find(a);
  if (it == obj.end()) return "";
  if (b == nullptr) return it->is_string() ? it->get<std::string>() : "";
  return string_at(*it, b);
}

std::string http_failure(unsigned status, std::string_view body) {
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string message = string_at(j, "message");
  if (message.empty()) message = std::string(body.substr(0, kMaxQuotedBody));
  return "HTTP " + std::to_string(status) + ": " + message;
}

}  // namespace jk::kube
