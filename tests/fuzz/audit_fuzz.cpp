// Fuzzes what audit reads from the API server: a Pod object and its jailkeeper.io/status
// annotation (anyone who can create a pod can write any annotation), through the verdict and
// both output formats.
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "webhook/audit/report.h"
#include "webhook/audit/status_record.h"
#include "webhook/audit/verdict.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)jk::audit::decode_status(text);
  const auto pod = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (pod.is_discarded()) return 0;
  jk::policy::Node node;
  node.os = jk::policy::NodeOs::kBottlerocket;
  node.kernel = jk::policy::KernelVersion{6, 1, 0};
  jk::audit::PodContext ctx;
  ctx.node = &node;
  const auto view = jk::audit::decode_pod(pod);
  const std::vector<jk::audit::AuditRow> rows{jk::audit::evaluate(view, ctx),
                                              jk::audit::evaluate(view, {})};
  (void)jk::audit::format_table(rows);
  (void)jk::audit::format_json(rows);
  return 0;
}
