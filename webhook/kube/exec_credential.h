#pragma once
// The ExecCredential protocol of kubectl's credential plugins, as values (pure, no I/O):
// the KUBERNETES_EXEC_INFO the plugin reads and the ExecCredential it prints on stdout
// (client.authentication.k8s.io/v1 and v1beta1).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {

struct ExecCredential {
  std::string token;            // status.token
  std::string client_cert_pem;  // status.clientCertificateData
  std::string client_key_pem;   // status.clientKeyData
  // status.expirationTimestamp; none: valid until the API server answers 401.
  std::optional<std::chrono::system_clock::time_point> expiry;
};

// The KUBERNETES_EXEC_INFO value: {"apiVersion", "kind": "ExecCredential", "spec":
// {"interactive", "cluster"?}}; spec.cluster (server, tls-server-name, insecure-skip-tls-verify,
// certificate-authority-data) only with provideClusterInfo.
std::string exec_info_json(const ExecConfig& exec, const ClientConfig& cluster, bool interactive);

// What the plugin printed. Errors say what is wrong ("status.token and
// status.clientCertificateData are both missing"); the caller names the plugin.
Result<ExecCredential> parse_exec_credential(std::string_view text, std::string_view api_version);

// RFC 3339 ("2025-01-02T03:04:05Z", fractions and ±hh:mm offsets too).
Result<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace jk::kube
