// Fuzzes the whole review path: arbitrary bytes as a POST /mutate body, through decoding, the
// decision (against a small inventory with every OS) and response encoding. Must never crash;
// every answer must be valid JSON.
#include <cstdint>
#include <cstdlib>
#include <memory>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "webhook/handler/review_handler.h"
#include "webhook/policy/node_index.h"

namespace {

std::vector<jk::policy::Node> inventory() {
  std::vector<jk::policy::Node> nodes(4);
  const jk::policy::NodeOs oses[] = {jk::policy::NodeOs::kAmazonLinux,
                                     jk::policy::NodeOs::kBottlerocket,
                                     jk::policy::NodeOs::kFargate, jk::policy::NodeOs::kOther};
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].name = "n" + std::to_string(i);
    nodes[i].os = oses[i];
    nodes[i].labels = {{"pool", "p" + std::to_string(i % 2)}};
    nodes[i].kernel = jk::policy::KernelVersion{5, 10, 0};
  }
  return nodes;
}

struct World {
  World()
      : snapshot{std::make_shared<const jk::policy::PolicyConfig>(),
                 std::make_shared<const jk::policy::NodeIndex>(inventory()), nullptr},
        handler([this] { return snapshot; }, registry) {
    jk::log::set_sink([](std::string_view) {});
  }
  jk::metrics::Registry registry;
  jk::inject::Snapshot snapshot;
  jk::handler::ReviewHandler handler;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const jk::server::HttpResponse r = world.handler.review(body);
  if (r.status == 200 && nlohmann::json::parse(r.body, nullptr, false).is_discarded()) std::abort();
  return 0;
}
