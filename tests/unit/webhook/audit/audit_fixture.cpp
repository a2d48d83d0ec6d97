#include "tests/unit/webhook/audit/audit_fixture.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "webhook/inventory/node_list.h"

namespace jk::audit::testing {
namespace {

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

}  // namespace

nlohmann::json golden_pod(const std::string& name) {
  auto pod = read_json(std::string(JK_SOURCE_DIR) + "/tests/fixtures/golden/" + name +
                       "/expected-pod.json");
  pod["metadata"]["name"] = "agent-1";
  return pod;
}

policy::Node fixture_node(const std::string& file) {
  auto node = inventory::decode_node(
      read_json(std::string(JK_SOURCE_DIR) + "/tests/fixtures/nodes/" + file));
  if (!node.ok()) throw std::runtime_error(node.error().message);
  return *node;
}

void set_status(nlohmann::json& pod, const nlohmann::json& status) {
  pod["metadata"]["annotations"]["jailkeeper.io/status"] = status.dump();
}

nlohmann::json status_of(const nlohmann::json& pod) {
  return nlohmann::json::parse(
      pod["metadata"]["annotations"]["jailkeeper.io/status"].get<std::string>());
}

}  // namespace jk::audit::testing
