#pragma once
#include <string>
#include <vector>

namespace jk::cli {

// `jailkeeper-webhook audit`: one-shot lists of namespaces, nodes and pods from the API server,
// a verdict per pod (OK, UNPATCHED, DRIFT, TAMPERED, SKIPPED) as a table or JSON. Exit 0 when
// every pod is OK or SKIPPED, 1 otherwise, 2 on errors (flags, kubeconfig, API server, RBAC).
int run_audit(const std::vector<std::string>& argv);

}  // namespace jk::cli
