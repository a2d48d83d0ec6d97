#pragma once
// What the API client presents on each request: a bearer token (fixed, a rotating token file,
// or from an exec plugin) and/or a client certificate (from the kubeconfig or an exec plugin).
// After a 401 the used credential is dropped: the token file is re-read, the plugin re-run.
#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/exec_authenticator.h"
#include "webhook/kube/token_source.h"

namespace jk::kube {

struct Credential {
  std::string token;     // "" = no Authorization header
  std::string cert_pem;  // "" = no client certificate
  std::string key_pem;
  bool operator==(const Credential&) const = default;
};

class CredentialSource {
 public:
  CredentialSource(const ClientConfig& config, std::chrono::milliseconds token_max_age);
  Result<Credential> current();
  // The API server answered 401 to a request that carried `used`.
  void unauthorized(const Credential& used);

 private:
  TokenSource token_;
  std::shared_ptr<ExecAuthenticator> exec_;  // null without an exec plugin
  Credential static_;                        // the kubeconfig's client certificate, if any
};

}  // namespace jk::kube
