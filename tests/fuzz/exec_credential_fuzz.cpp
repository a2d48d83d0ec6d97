// libFuzzer target: what an exec credential plugin prints (kubectl's ExecCredential), read by
// `audit` and `serve` from a program the kubeconfig names. Parsing must never crash; an accepted
// credential carries a token or a matching certificate + key pair, and its expiry (if any) is
// an RFC 3339 time the parser also accepts on its own.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "webhook/kube/exec_credential.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const std::string_view api :
       {"client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"}) {
    const auto credential = jk::kube::parse_exec_credential(text, api);
    if (!credential.ok()) continue;
    const bool has_pair =
        !credential->client_cert_pem.empty() && !credential->client_key_pem.empty();
    if (credential->token.empty() && !has_pair) std::abort();
    if (credential->client_cert_pem.empty() != credential->client_key_pem.empty()) std::abort();
  }
  (void)jk::kube::parse_rfc3339(text);
  return 0;
}
