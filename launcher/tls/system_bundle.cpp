#include "launcher/tls/system_bundle.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace jk::launcher::tls {

std::vector<std::string> default_system_bundles() {
  std::vector<std::string> bundles = {"/etc/ssl/certs/ca-certificates.crt",
                                      "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"};
  if (const char* env = std::getenv("SSL_CERT_FILE"); env != nullptr && *env != '\0') {
    bundles.emplace_back(env);
  }
  return bundles;
}

std::optional<std::string> find_system_bundle(const std::vector<std::string>& candidates) {
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(candidate, ec)) continue;
    if (std::ifstream(candidate).good()) return candidate;
  }
  return std::nullopt;
}

}  // namespace jk::launcher::tls
