// Fuzzes the launch spec decoder (the launcher reads it from a file the pod can influence).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "launchspec/launch_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto spec =
      jk::launchspec::from_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (spec.ok()) {
    // Whatever decodes must encode and decode to the same value.
    auto again = jk::launchspec::from_json(jk::launchspec::to_json(*spec));
    if (!again.ok() || !(*again == *spec)) std::abort();
  }
  return 0;
}
