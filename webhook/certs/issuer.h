#pragma once
// Issues a fresh CA and a serving certificate signed by it (ECDSA P-256, SHA-256). The CA's
// private key is returned to no one: it signs this one leaf and is discarded, so no CA key is
// ever stored (the Secret is mounted by the server; a leaked CA key would outlive the leaf).
// Every renewal therefore rotates the CA too, and the caBundle keeps the previous CA until it
// expires (see ca_bundle.h).
#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/certs/certificate.h"

namespace jk::certs {

// Backdating of notBefore, so a freshly issued pair is valid on API servers whose clock is a
// little behind the Job's.
inline constexpr std::chrono::hours kClockSkewAllowance{1};
// The CA outlives the leaf a little: the caBundle drops a previous CA when it expires, which is
// then safely after the last moment its leaf could have been served.
inline constexpr std::chrono::hours kCaExtraLifetime{24};

struct IssueRequest {
  std::string common_name;             // the leaf's CN (also the first DNS name)
  std::vector<std::string> dns_names;  // subjectAltName DNS entries
  std::chrono::hours validity{};       // leaf lifetime from `now`
  Clock::time_point now;
};

// PEM texts as the Secret stores them.
struct TlsMaterial {
  std::string cert_pem;  // tls.crt: the serving certificate
  std::string key_pem;   // tls.key: its private key (PKCS#8)
  std::string ca_pem;    // ca.crt: the CA that signed it
};

Result<TlsMaterial> issue_ca_and_leaf(const IssueRequest& request);

}  // namespace jk::certs
