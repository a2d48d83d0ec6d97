#pragma once
// The files that make the jailed agent trust the interception CA, and the environment variables
// common tools read them from. Only certificates are written, never a key.
#include "common/result.h"
#include "launcher/tls/system_bundle.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jk::launcher::tls {

struct TrustFileOptions {
  // System root bundles; the first that exists and is readable is copied into bundle.pem.
  std::vector<std::string> system_bundles = default_system_bundles();
};

struct TrustFiles {
  std::string ca_file;      // <dir>/ca.pem: our CA only
  std::string bundle_file;  // <dir>/bundle.pem: system roots + our CA
  std::string cert_dir;     // <dir>/certs: bundle.pem + <subject hash>.0 (our CA), c_rehash style
  bool has_system_roots = false;  // false: no system bundle was found, bundle = our CA only
  std::string system_bundle;      // the bundle copied, when has_system_roots
};

// Creates `dir` (0755) if needed and writes the files (0644). ca_pem must hold one certificate.
Result<TrustFiles> write_trust_files(const std::string& dir, std::string_view ca_pem,
                                     const TrustFileOptions& options = {});

// SSL_CERT_FILE, SSL_CERT_DIR, NODE_EXTRA_CA_CERTS (our CA alone: node adds it to its own
// roots), and the bundle for CURL_CA_BUNDLE, GIT_SSL_CAINFO, REQUESTS_CA_BUNDLE, AWS_CA_BUNDLE,
// PIP_CERT, CARGO_HTTP_CAINFO, DENO_CERT, HEX_CACERTS_PATH, NPM_CONFIG_CAFILE, YARN_CAFILE,
// YARN_HTTPS_CA_FILE_PATH, BUNDLE_SSL_CA_CERT, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH. Go and uv read
// SSL_CERT_FILE / SSL_CERT_DIR.
std::vector<std::pair<std::string, std::string>> trust_environment(const TrustFiles& files);

}  // namespace jk::launcher::tls
