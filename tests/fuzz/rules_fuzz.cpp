// libFuzzer target: a boundary allow rule from arbitrary bytes. Parsing must never crash; a rule
// that parses is matched against fixed requests and one derived from the input, and its
// suggestion for the derived request must parse and match (when its path can be judged).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "launchspec/request_path.h"
#include "launchspec/rules.h"

namespace {

using jk::launchspec::RequestView;

constexpr RequestView kFixedRequests[] = {
    {"GET", "github.com", "/"},           {"POST", "api.github.com:443", "/repos/a/b?x=1"},
    {"get", "GitHub.com.", "/api/%2Fx/"}, {"CONNECT", "[2001:db8::1]:443", ""},
    {"GET", "10.0.0.1", "/%zz"},
};

// Splits the input in three at the first two NUL bytes: method, host, path.
RequestView derived_request(std::string_view input) {
  const std::size_t a = input.find('\0');
  const std::size_t b = a == std::string_view::npos ? a : input.find('\0', a + 1);
  RequestView r;
  r.method = input.substr(0, a);
  r.host = a == std::string_view::npos ? std::string_view() : input.substr(a + 1, b - a - 1);
  r.path = b == std::string_view::npos ? std::string_view() : input.substr(b + 1);
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const RequestView derived = derived_request(input);

  // The suggestion for any request is itself a valid rule that allows it.
  const std::string suggestion =
      jk::launchspec::suggest_rule(derived.method, derived.host, derived.path);
  const auto suggested = jk::launchspec::parse_rule(suggestion);
  // ... unless the path cannot be judged at all (the proxy answers 400): then no rule allows it.
  const std::string_view path = derived.path.empty() ? std::string_view("/") : derived.path;
  const int expected = jk::launchspec::canonicalize_target(path).ok() ? 0 : -1;
  if (!suggested.ok() || jk::launchspec::first_match({*suggested}, derived) != expected) {
    std::abort();
  }

  const auto rule = jk::launchspec::parse_rule(input);
  if (!rule.ok()) return 0;
  const std::vector<jk::launchspec::Rule> rules{*rule};
  for (const RequestView& request : kFixedRequests) {
    (void)jk::launchspec::first_match(rules, request);
  }
  (void)jk::launchspec::first_match(rules, derived);
  return 0;
}
