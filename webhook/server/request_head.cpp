#include "webhook/server/request_head.h"

#include "common/strings.h"

namespace jk::server {

namespace {
constexpr std::string_view kEndOfHead = "\r\n\r\n";
constexpr std::string_view kContinue = "100-continue";
}  // namespace

std::optional<std::size_t> head_size(std::string_view received, std::size_t searched) {
  // A match may straddle what was searched before: step back by the marker's length - 1.
  const std::size_t from = searched >= kEndOfHead.size() ? searched - (kEndOfHead.size() - 1) : 0;
  const std::size_t at = received.find(kEndOfHead, from);
  if (at == std::string_view::npos) return std::nullopt;
  return at + kEndOfHead.size();
}

bool has_obs_fold(std::string_view head) {
  for (std::size_t i = head.find('\n'); i != std::string_view::npos && i + 1 < head.size();
       i = head.find('\n', i + 1)) {
    if (head[i + 1] == ' ' || head[i + 1] == '\t') return true;
  }
  return false;
}

bool expects_continue(std::string_view expect_value) {
  const std::string_view value = trim(expect_value);
  return value.size() == kContinue.size() && starts_with_ci(value, kContinue);
}

}  // namespace jk::server
