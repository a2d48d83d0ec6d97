// Fuzzes the manifest reader of `inject` (any bytes a user pipes in) and the YAML writer: every
// document that parses must emit as YAML that parses back to the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "webhook/cli/yaml_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto docs =
      jk::cli::parse_documents(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!docs.ok()) return 0;
  for (const auto& doc : *docs) {
    const auto again = jk::cli::parse_documents(jk::cli::emit_yaml(doc));
    if (!again.ok() || again->size() != 1 || again->front() != doc) std::abort();
  }
  const auto stream = jk::cli::parse_documents(jk::cli::emit_yaml_stream(*docs));
  if (!stream.ok() || *stream != *docs) std::abort();
  return 0;
}
