#include "webhook/certs/renewal.h"

#include <algorithm>
#include <array>
#include <ctime>

namespace jk::certs {
namespace {

constexpr int kHoursPerDay = 24;
constexpr std::size_t kTimeBuffer = 32;

RenewalDecision issue(std::string reason) { return {true, std::move(reason)}; }

std::string days(std::chrono::hours h) {
  const auto d = h.count() / kHoursPerDay;
  return std::to_string(d) + (d == 1 ? " day" : " days");
}

std::optional<std::string> missing_name(const Certificate& cert,
                                        const std::vector<std::string>& wanted) {
  for (const auto& name : wanted) {
    if (std::find(cert.dns_names.begin(), cert.dns_names.end(), name) == cert.dns_names.end()) {
      return name;
    }
  }
  return std::nullopt;
}

// Checks that only need the material itself; returns the reason it is unusable.
std::optional<std::string> unusable(const TlsMaterial& m) {
  if (m.cert_pem.empty()) return "the Secret has no tls.crt";
  if (m.key_pem.empty()) return "the Secret has no tls.key";
  if (m.ca_pem.empty()) return "the Secret has no ca.crt";
  if (auto c = parse_certificate(m.cert_pem); !c.ok()) return "tls.crt: " + c.error().message;
  if (auto s = check_key_matches(m.cert_pem, m.key_pem); !s.ok())
    return "tls.key: " + s.error().message;
  if (auto s = check_signed_by(m.cert_pem, m.ca_pem); !s.ok())
    return "ca.crt: " + s.error().message;
  return std::nullopt;
}

}  // namespace

std::string format_time(Clock::time_point t) {
  const std::time_t tt = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::array<char, kTimeBuffer> buf{};
  const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf.data(), n);
}

RenewalDecision decide_renewal(const std::optional<TlsMaterial>& current,
                               const RenewalPolicy& policy, Clock::time_point now) {
  if (!current) return issue("no Secret yet");
  if (auto why = unusable(*current)) return issue(*why);
  auto cert = parse_certificate(current->cert_pem);
  if (!cert.ok()) return issue("tls.crt: " + cert.error().message);  // checked by unusable()
  if (auto name = missing_name(*cert, policy.dns_names)) {
    return issue("tls.crt does not name " + *name);
  }
  if (cert->not_before > now)
    return issue("tls.crt is not valid before " + format_time(cert->not_before));
  if (cert->not_after - now <= policy.renew_before) {
    return issue("tls.crt expires " + format_time(cert->not_after) + ", within " +
                 days(policy.renew_before));
  }
  return {false, "tls.crt is valid until " + format_time(cert->not_after)};
}

}  // namespace jk::certs
