#pragma once
// What `jailkeeper-webhook certs` is asked to do: one validated value.
#include <chrono>
#include <string>
#include <vector>

namespace jk::certs {

inline constexpr int kDefaultValidityDays = 365;
inline constexpr int kDefaultRenewBeforeDays = 30;
// Create/update races (409) are re-read and retried this many times in all.
inline constexpr int kMaxAttempts = 5;

struct CertsOptions {
  std::string namespace_name;
  std::string service;
  std::string secret;
  std::string webhook_config;
  std::chrono::hours validity{std::chrono::hours(24) * kDefaultValidityDays};
  std::chrono::hours renew_before{std::chrono::hours(24) * kDefaultRenewBeforeDays};
  bool webhook_config_optional = false;  // a missing configuration is fine (pre-install)
  bool remove = false;                   // --delete: the configuration, then the Secret
  bool keep_secret = false;              // with --delete: leave the Secret
};

// SERVICE.NS.svc (the name the API server dials) and SERVICE.NS.svc.cluster.local.
std::vector<std::string> serving_names(const CertsOptions& options);

}  // namespace jk::certs
