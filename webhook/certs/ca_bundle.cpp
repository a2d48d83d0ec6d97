#include "webhook/certs/ca_bundle.h"

#include <set>

namespace jk::certs {

std::string merge_ca_bundle(const Certificate& current_ca, const std::vector<Certificate>& previous,
                            Clock::time_point now) {
  std::string out = current_ca.pem;
  std::set<std::string> seen{current_ca.fingerprint};
  for (const auto& cert : previous) {
    if (cert.not_after <= now || !seen.insert(cert.fingerprint).second) continue;
    out += cert.pem;
  }
  return out;
}

}  // namespace jk::certs
