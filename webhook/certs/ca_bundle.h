#pragma once
// The caBundle the webhook configuration should carry: the CA that signed the current serving
// certificate first, then every previous CA still unexpired (so a server still presenting the
// previous certificate, before it reloads the Secret, is trusted), without duplicates. Pure.
#include <string>
#include <vector>

#include "webhook/certs/certificate.h"

namespace jk::certs {

// `previous`: the certificates found in the current caBundles and the Secret's old ca.crt, in
// that order. Returns the PEM text to store.
std::string merge_ca_bundle(const Certificate& current_ca, const std::vector<Certificate>& previous,
                            Clock::time_point now);

}  // namespace jk::certs
