// libFuzzer target: the admin config from arbitrary bytes. parse_config must return a value or
// an error, never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "webhook/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  const auto config = jk::config::parse_config(yaml);
  (void)config.ok();
  return 0;
}
