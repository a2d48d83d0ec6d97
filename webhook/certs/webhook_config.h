#pragma once
// The MutatingWebhookConfiguration side: the CA certificates its webhooks trust today, and the
// JSON patch (RFC 6902) that sets one caBundle on every webhook entry. Pure.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "webhook/certs/certificate.h"

namespace jk::certs {

// Certificates in every webhooks[].clientConfig.caBundle, in order, duplicates included.
// Entries that are empty or do not decode are skipped (they will be overwritten).
std::vector<Certificate> bundle_certificates(const nlohmann::json& config);

// nullopt when every webhook already carries exactly `bundle_pem` (or there is none). The patch
// also sets metadata.resourceVersion to the value read: the API server then applies it only if
// the object is unchanged (else 409 Conflict), so webhook indexes cannot shift underneath it.
std::optional<nlohmann::json> ca_bundle_patch(const nlohmann::json& config,
                                              const std::string& bundle_pem);

// Number of entries in webhooks[].
std::size_t webhook_count(const nlohmann::json& config);

}  // namespace jk::certs
