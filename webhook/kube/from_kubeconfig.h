#pragma once
// Builds a ClientConfig from a (possibly merged) kubeconfig (private to webhook/kube).
#include <string>

#include "common/result.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/kubeconfig_file.h"

namespace jk::kube {

// context_override replaces current-context when not empty.
Result<ClientConfig> from_kubeconfig(const Kubeconfig& config, const std::string& context_override);

}  // namespace jk::kube
