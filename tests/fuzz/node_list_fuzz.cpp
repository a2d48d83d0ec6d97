// Fuzzes NodeList decoding (the --nodes file and, later, API server responses).
#include <cstdint>
#include <string_view>

#include "webhook/inventory/node_list.h"
#include "webhook/policy/node_index.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto nodes =
      jk::inventory::decode_node_list(std::string_view(reinterpret_cast<const char*>(data), size));
  if (nodes.ok()) {
    const jk::policy::NodeIndex index(std::move(nodes).value());
    for (const auto& n : index.nodes()) (void)index.by_name(n.name);
  }
  return 0;
}
