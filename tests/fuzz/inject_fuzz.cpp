// Fuzzes the whole `inject` pipeline: any bytes a user pipes in (YAML or JSON, any shape)
// through reading, finding pod templates, inject::mutate (against a small inventory with every OS),
// patching and writing back, to YAML or JSON out. Must never crash or throw; when documents
// are printed, they must read back as a manifest; on an input error nothing is printed.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "common/log.h"
#include "webhook/cli/inject.h"
#include "webhook/cli/yaml_json.h"
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
                 std::make_shared<const jk::policy::NodeIndex>(inventory()), nullptr} {
    jk::log::set_sink([](std::string_view) {});
  }
  jk::inject::Snapshot snapshot;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  jk::cli::InjectOptions opts;
  // The last byte picks the output format, so both writers see every input shape.
  opts.output =
      size > 0 && (data[size - 1] & 1U) != 0 ? jk::cli::kOutputJson : jk::cli::kOutputYaml;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::ostringstream out;
  std::ostringstream err;
  const int rc = jk::cli::run_inject(opts, in, out, err, world.snapshot);
  if (rc == jk::cli::kInjectInputError) {
    if (!out.str().empty()) std::abort();
    return 0;
  }
  if (rc != jk::cli::kInjectOk && rc != jk::cli::kInjectDenied) std::abort();
  if (!jk::cli::parse_documents(out.str()).ok()) std::abort();
  return 0;
}
