#include "webhook/kube/credential_source.h"

namespace jk::kube {

CredentialSource::CredentialSource(const ClientConfig& config,
                                   std::chrono::milliseconds token_max_age)
    : token_(config.bearer_token, config.token_file, token_max_age),
      exec_(config.exec ? shared_exec_authenticator(config) : nullptr),
      static_{"", config.client_cert_pem, config.client_key_pem} {}

Result<Credential> CredentialSource::current() {
  if (exec_) {
    JK_TRY(const ExecCredential c, exec_->get());
    return Credential{c.token, c.client_cert_pem, c.client_key_pem};
  }
  Credential out = static_;
  JK_TRY(out.token, token_.current());
  return out;
}

void CredentialSource::unauthorized(const Credential& used) {
  if (exec_) {
    exec_->unauthorized(ExecCredential{used.token, used.cert_pem, used.key_pem, std::nullopt});
    return;
  }
  token_.invalidate();
}

}  // namespace jk::kube
