#pragma once
// Whether the serving certificate in the Secret can stay or a new CA + certificate is issued.
// Pure: the Secret's contents, the wanted names and the time are values.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "webhook/certs/certificate.h"
#include "webhook/certs/issuer.h"

namespace jk::certs {

struct RenewalPolicy {
  std::vector<std::string> dns_names;  // every one must be in the certificate's SANs
  std::chrono::hours renew_before{};   // renew when the leaf expires within this
};

struct RenewalDecision {
  bool issue = false;  // false: keep what the Secret holds
  std::string reason;  // why, for the log: "expires 2027-01-01T00:00:00Z, within 30 days"
};

// `current` is nullopt when there is no Secret. Anything unusable (a missing or broken key,
// a key that does not belong to the certificate, a certificate not signed by ca.crt, missing
// names, not yet valid, expiring within renew_before) means issue.
RenewalDecision decide_renewal(const std::optional<TlsMaterial>& current,
                               const RenewalPolicy& policy, Clock::time_point now);

// "2027-01-01T00:00:00Z"
std::string format_time(Clock::time_point t);

}  // namespace jk::certs
