#pragma once
// How jailkeeper-webhook finds and authenticates to the Kubernetes API server: in cluster
// (service account) or from a kubeconfig. Configuration only; the HTTP client consumes the
// resulting ClientConfig. Every error names the file and the field path, e.g.
//   kubeconfig /x: users[name=admin].user.client-key: file /y: No such file or directory
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace jk::kube {

inline constexpr std::string_view kServiceAccountDir =
    "/var/run/secrets/kubernetes.io/serviceaccount";

// users[].user.exec: a credential plugin (`aws eks get-token`, `aws-iam-authenticator`,
// `kubelogin`) that prints an ExecCredential (client.authentication.k8s.io/v1 or v1beta1).
enum class ExecInteractiveMode { kNever, kIfAvailable, kAlways };

struct ExecConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 or .../v1beta1
  std::string command;      // as written; with a '/' and relative: resolved against the kubeconfig
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // added to the process environment
  ExecInteractiveMode interactive_mode = ExecInteractiveMode::kIfAvailable;
  bool provide_cluster_info = false;  // KUBERNETES_EXEC_INFO carries spec.cluster
  std::string install_hint;           // printed when the command is not found
  std::string field_path;             // "users[name=eks].user.exec", for messages
};

struct ClientConfig {
  std::string server;           // https://host:port[/prefix], no trailing slash
  std::string host;             // parsed from server, without IPv6 brackets
  std::uint16_t port = 0;       // parsed from server; 443 when the URL has none
  std::string base_path;        // "" or a path prefix ("/k8s/clusters/c-1") to put before /api/...
  std::string tls_server_name;  // cluster.tls-server-name, else host (SNI and verification)
  std::string ca_pem;           // CA bundle; empty = system roots (or insecure)
  bool insecure_skip_tls_verify = false;  // only when explicitly set in the kubeconfig
  // Authentication: exactly one of bearer_token, token_file, client certificate + key, exec.
  std::string bearer_token;
  std::string token_file;  // re-read by the client (read_token_file) as the token rotates
  std::string client_cert_pem;
  std::string client_key_pem;
  std::optional<ExecConfig> exec;  // the plugin supplies a token or a client certificate
  std::string source;              // "in-cluster" or "kubeconfig /path (context X)", for messages
};

// Injected so that tests are hermetic.
struct Environment {
  std::map<std::string, std::string> vars;
  std::string home;  // empty: vars["HOME"]
};

// KUBERNETES_SERVICE_HOST/_PORT, sa_dir/token (kept as token_file), sa_dir/ca.crt.
Result<ClientConfig> in_cluster_config(const Environment& env,
                                       const std::string& sa_dir = std::string(kServiceAccountDir));

// One kubeconfig file; context_override replaces current-context when not empty.
Result<ClientConfig> kubeconfig_config(const std::string& path,
                                       const std::string& context_override = "");

// Order: --kubeconfig FILE; else $KUBECONFIG (':'-separated; the existing files are merged as
// kubectl does: the first occurrence of each cluster/user/context name and the first
// current-context win); else in cluster when KUBERNETES_SERVICE_HOST is set; else
// ~/.kube/config. The error lists everything that was tried.
Result<ClientConfig> resolve_config(const std::optional<std::string>& kubeconfig_flag,
                                    const Environment& env,
                                    const std::string& context_override = "");

// Reads a token file fresh, trailing whitespace trimmed; empty is an error. Used on rotation.
Result<std::string> read_token_file(const std::string& path);

}  // namespace jk::kube
