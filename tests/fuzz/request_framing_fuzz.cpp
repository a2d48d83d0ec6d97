// Raw request heads from the jailed agent (launcher/proxy/request_framing.h): the framing check
// never crashes, and a head it accepts has CRLF line ends only and at most one Host,
// Content-Length and Transfer-Encoding field (checked here independently, by counting).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "launcher/proxy/request_framing.h"

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

int count_field(std::string_view head, std::string_view name) {
  int n = 0;
  std::size_t start = head.find("\r\n");
  while (start != std::string_view::npos && start + 2 < head.size()) {
    start += 2;
    const std::size_t end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, end - start);
    if (lower(line.substr(0, line.find(':'))) == name) ++n;
    start = end;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);  // NOLINT
  const std::size_t length = jk::launcher::proxy::head_length(bytes);
  if (length == std::string_view::npos) return 0;
  if (length > bytes.size()) std::abort();
  const std::string_view head = bytes.substr(0, length);
  (void)jk::launcher::proxy::body_rule(head.substr(0, head.find(' ')));
  if (!jk::launcher::proxy::check_request_head(head).ok()) return 0;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) std::abort();
    if (head[i] == '\r' && (i + 1 == head.size() || head[i + 1] != '\n')) std::abort();
  }
  if (count_field(head, "host") > 1 || count_field(head, "content-length") > 1 ||
      count_field(head, "transfer-encoding") > 1) {
    std::abort();
  }
  return 0;
}
