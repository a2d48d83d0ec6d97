#include "webhook/inject/namespace_gate.h"

namespace jk::inject {

NamespaceGate gate_namespace(std::string_view namespace_name, const policy::Labels* labels) {
  NamespaceGate gate;
  const std::string quoted = "\"" + std::string(namespace_name) + "\"";
  if (labels == nullptr) {
    gate.warnings.push_back("jailkeeper: namespace " + quoted +
                            " not in the inventory yet; opt-in and Pod Security not checked");
    return gate;
  }
  const auto it = labels->find(kInjectLabel);
  if (it == labels->end() || it->second != kInjectEnabled) {
    gate.skip = true;
    gate.warnings.push_back("jailkeeper: namespace " + quoted +
                            " lacks jailkeeper.io/inject=enabled; pod left unchanged");
    return gate;
  }
  gate.check_pod_security = true;
  return gate;
}

}  // namespace jk::inject
