#pragma once
// A kubeconfig read into plain values (private to webhook/kube; yaml-cpp stays in the .cpp).
// Unknown keys are ignored, as kubectl ignores them; unsupported features are remembered so that
// the error can name them when the entry is actually used.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {

struct KubeconfigCluster {
  std::string file;  // the kubeconfig that defined it (relative paths resolve against its dir)
  std::string server;
  std::string certificate_authority;
  std::string certificate_authority_data;
  std::string tls_server_name;
  std::string proxy_url;
  bool insecure_skip_tls_verify = false;
};

struct KubeconfigUser {
  std::string file;
  std::string token;
  std::string token_file;
  std::string client_certificate;
  std::string client_certificate_data;
  std::string client_key;
  std::string client_key_data;
  bool has_basic_auth = false;        // username/password
  std::optional<ExecConfig> exec;     // exec credential plugin (field_path set)
  std::string exec_interactive_mode;  // as written; "" = not set (v1 requires it)
  bool has_auth_provider = false;     // auth-provider (gcp, azure, oidc)
  std::string auth_provider_name;
};

struct KubeconfigContext {
  std::string file;
  std::string cluster;
  std::string user;
};

struct Kubeconfig {
  std::vector<std::string> files;  // in load order
  std::string current_context;
  std::map<std::string, KubeconfigCluster> clusters;
  std::map<std::string, KubeconfigUser> users;
  std::map<std::string, KubeconfigContext> contexts;
};

// Parses one file. Errors: "kubeconfig /x: clusters[1].name: expected a string".
Result<Kubeconfig> load_kubeconfig_file(const std::string& path);
// Merges later into first as kubectl does: the first occurrence of each name and the first
// non-empty current-context win.
void merge_kubeconfig(Kubeconfig& first, const Kubeconfig& later);

}  // namespace jk::kube
