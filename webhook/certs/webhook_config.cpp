#include "webhook/certs/webhook_config.h"

#include "common/base64.h"

namespace jk::certs {
namespace {

using nlohmann::json;

const json& webhooks(const json& config) {
  static const json kEmpty = json::array();
  if (!config.is_object()) return kEmpty;
  const auto it = config.find("webhooks");
  return it != config.end() && it->is_array() ? *it : kEmpty;
}

// The decoded caBundle of one webhook entry, "" when absent or not base64.
std::string bundle_of(const json& webhook) {
  if (!webhook.is_object()) return "";
  const auto client = webhook.find("clientConfig");
  if (client == webhook.end() || !client->is_object()) return "";
  const auto bundle = client->find("caBundle");
  if (bundle == client->end() || !bundle->is_string()) return "";
  auto decoded = base64_decode(bundle->get_ref<const std::string&>(), Base64Padding::kRequired);
  return decoded.ok() ? std::move(*decoded) : std::string();
}

std::string resource_version(const json& config) {
  const auto meta = config.find("metadata");
  if (meta == config.end() || !meta->is_object()) return "";
  const auto rv = meta->find("resourceVersion");
  return rv != meta->end() && rv->is_string() ? rv->get<std::string>() : "";
}

}  // namespace

std::size_t webhook_count(const json& config) { return webhooks(config).size(); }

std::vector<Certificate> bundle_certificates(const json& config) {
  std::vector<Certificate> out;
  for (const auto& webhook : webhooks(config)) {
    const std::string pem = bundle_of(webhook);
    auto certs = pem.empty() ? Result<std::vector<Certificate>>(make_error("empty"))
                             : parse_certificates(pem);
    if (!certs.ok()) continue;
    out.insert(out.end(), certs->begin(), certs->end());
  }
  return out;
}

std::optional<json> ca_bundle_patch(const json& config, const std::string& bundle_pem) {
  const json& list = webhooks(config);
  json patch = json::array();
  const std::string rv = resource_version(config);
  if (!rv.empty())
    patch.push_back({{"op", "replace"}, {"path", "/metadata/resourceVersion"}, {"value", rv}});
  const std::string encoded = base64_encode(bundle_pem);
  bool changed = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (bundle_of(list[i]) == bundle_pem) continue;
    changed = true;
    const std::string base = "/webhooks/" + std::to_string(i) + "/clientConfig";
    if (!list[i].contains("clientConfig")) {
      patch.push_back({{"op", "add"}, {"path", base}, {"value", json::object()}});
    }
    patch.push_back({{"op", "add"}, {"path", base + "/caBundle"}, {"value", encoded}});
  }
  if (!changed) return std::nullopt;
  return patch;
}

}  // namespace jk::certs
