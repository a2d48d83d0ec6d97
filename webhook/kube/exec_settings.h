#pragma once
// Checks a kubeconfig's exec block when the user is actually used (private to webhook/kube):
// apiVersion v1 or v1beta1, a command, interactiveMode (required by v1, IfAvailable by default
// for v1beta1, as kubectl does), and a relative command path resolved against the kubeconfig.
#include <string>

#include "common/result.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {

inline constexpr std::string_view kExecApiV1 = "client.authentication.k8s.io/v1";
inline constexpr std::string_view kExecApiV1beta1 = "client.authentication.k8s.io/v1beta1";

// Errors name the field: "users[name=eks].user.exec.interactiveMode: required for ...".
Result<ExecConfig> validate_exec(ExecConfig exec, const std::string& interactive_mode,
                                 const std::string& kubeconfig_file);

}  // namespace jk::kube
