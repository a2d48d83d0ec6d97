#include "webhook/certs/secret.h"

#include "common/base64.h"

namespace jk::certs {
namespace {

using nlohmann::json;

std::string data_value(const json& secret, std::string_view key) {
  const auto data = secret.find("data");
  if (data == secret.end() || !data->is_object()) return "";
  const auto it = data->find(std::string(key));
  if (it == data->end() || !it->is_string()) return "";
  auto decoded = base64_decode(it->get_ref<const std::string&>(), Base64Padding::kRequired);
  return decoded.ok() ? std::move(*decoded) : std::string();
}

json data_of(const TlsMaterial& m) {
  return {{std::string(kSecretCert), base64_encode(m.cert_pem)},
          {std::string(kSecretKey), base64_encode(m.key_pem)},
          {std::string(kSecretCa), base64_encode(m.ca_pem)}};
}

}  // namespace

TlsMaterial material_from_secret(const json& secret) {
  if (!secret.is_object()) return {};
  return {data_value(secret, kSecretCert), data_value(secret, kSecretKey),
          data_value(secret, kSecretCa)};
}

json new_secret(const std::string& namespace_name, const std::string& name,
                const TlsMaterial& material) {
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata",
           {{"name", name},
            {"namespace", namespace_name},
            {"labels", {{"app.kubernetes.io/managed-by", "jailkeeper-webhook-certs"}}}}},
          {"type", "kubernetes.io/tls"},
          {"data", data_of(material)}};
}

json updated_secret(json existing, const TlsMaterial& material) {
  if (!existing.is_object()) existing = json::object();
  if (!existing["data"].is_object()) existing["data"] = json::object();
  json& data = existing["data"];
  data[std::string(kSecretCert)] = base64_encode(material.cert_pem);
  data[std::string(kSecretKey)] = base64_encode(material.key_pem);
  data[std::string(kSecretCa)] = base64_encode(material.ca_pem);
  return existing;
}

}  // namespace jk::certs
