#pragma once
// Where the system's trusted root certificates are, on the distributions agents run on.
#include <optional>
#include <string>
#include <vector>

namespace jk::launcher::tls {

// /etc/ssl/certs/ca-certificates.crt (Debian, Ubuntu, Alpine, Arch), /etc/pki/tls/certs/
// ca-bundle.crt (RHEL, Amazon Linux, Fedora), /etc/ssl/cert.pem (Alpine, BSDs, macOS), then
// $SSL_CERT_FILE when set.
std::vector<std::string> default_system_bundles();

// The first candidate that is a readable regular file.
std::optional<std::string> find_system_bundle(const std::vector<std::string>& candidates);

}  // namespace jk::launcher::tls
