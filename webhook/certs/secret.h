#pragma once
// The TLS Secret as JSON: reading tls.crt / tls.key / ca.crt and building the object to create
// or update (type kubernetes.io/tls). Pure; nlohmann is used without exceptions.
#include <nlohmann/json.hpp>
#include <string>

#include "webhook/certs/issuer.h"

namespace jk::certs {

inline constexpr std::string_view kSecretCert = "tls.crt";
inline constexpr std::string_view kSecretKey = "tls.key";
inline constexpr std::string_view kSecretCa = "ca.crt";

// Missing or undecodable keys come back empty (decide_renewal says which one).
TlsMaterial material_from_secret(const nlohmann::json& secret);

nlohmann::json new_secret(const std::string& namespace_name, const std::string& name,
                          const TlsMaterial& material);
// `existing` with the three data keys replaced; everything else (other keys, labels,
// resourceVersion for optimistic concurrency) is kept.
nlohmann::json updated_secret(nlohmann::json existing, const TlsMaterial& material);

}  // namespace jk::certs
