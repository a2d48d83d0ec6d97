#pragma once
// Test helpers: verify a certificate the way a TLS client would, and read its fields.
#include "launcher/tls/openssl_handles.h"

#include <chrono>
#include <optional>
#include <string>

namespace jk::launcher::tls::testing {

struct VerifyRequest {
  X509* leaf = nullptr;
  X509* trusted_ca = nullptr;
  std::string host;  // DNS name or IP literal; empty = chain only
  std::optional<std::chrono::system_clock::time_point> at;  // default: now
};

// X509_V_OK on success, else the X509_V_ERR_* code.
int verify(const VerifyRequest& request);

std::string subject_common_name(X509* cert);
bool has_extension_flag(X509* cert, unsigned int exflag);
std::chrono::seconds lifetime(X509* cert);
X509Ptr parse_pem(const std::string& pem);

}  // namespace jk::launcher::tls::testing
