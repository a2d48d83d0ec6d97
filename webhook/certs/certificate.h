#pragma once
// A parsed X.509 certificate as plain values (what renewal and caBundle decisions look at), and
// the two checks that need OpenSSL: does a key belong to a certificate, did a CA sign it.
#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace jk::certs {

using Clock = std::chrono::system_clock;

struct Certificate {
  std::string pem;          // this certificate alone, PEM
  std::string fingerprint;  // SHA-256 of the DER, hex: identity for de-duplication
  std::string subject_cn;
  Clock::time_point not_before;
  Clock::time_point not_after;
  bool is_ca = false;                  // basicConstraints CA:TRUE
  std::vector<std::string> dns_names;  // subjectAltName DNS entries, in certificate order
};

// Every certificate in a PEM text, in order. Other PEM blocks (keys) are skipped; a text with
// no certificate, or a broken certificate block, is an error.
Result<std::vector<Certificate>> parse_certificates(const std::string& pem);
// The first certificate of a PEM text.
Result<Certificate> parse_certificate(const std::string& pem);

// The private key (PEM) is the one of the certificate (PEM).
Status check_key_matches(const std::string& cert_pem, const std::string& key_pem);
// `cert_pem` carries `ca_pem`'s subject as issuer and a valid signature by its key.
Status check_signed_by(const std::string& cert_pem, const std::string& ca_pem);

}  // namespace jk::certs
