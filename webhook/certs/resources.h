#pragma once
// The two objects `certs` manages, over the API: the TLS Secret (namespaced) and the
// MutatingWebhookConfiguration (cluster-scoped). Only the verbs the chart's hook RBAC grants:
// secrets create/get/update/delete, mutatingwebhookconfigurations get/patch/delete.
// 404 on get is nullopt, 404 on delete is success, 409 on a write is `false` (re-read and
// retry); any other failure is an error naming the verb and the resource (403 says which right
// is missing).
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/result.h"
#include "webhook/kube/http_client.h"

namespace jk::certs {

struct ResourceNames {
  std::string namespace_name;
  std::string secret;
  std::string webhook_config;
};

class KubeResources {
 public:
  KubeResources(kube::HttpClient& api, ResourceNames names);

  Result<std::optional<nlohmann::json>> get_secret();
  Result<bool> create_secret(const nlohmann::json& secret);
  Result<bool> update_secret(const nlohmann::json& secret);
  Status delete_secret();

  Result<std::optional<nlohmann::json>> get_webhook_config();
  Result<bool> patch_webhook_config(const nlohmann::json& json_patch);
  Status delete_webhook_config();

  [[nodiscard]] const ResourceNames& names() const { return names_; }

 private:
  struct Target;
  Result<kube::HttpResponse> call(const Target& target, const std::string& verb,
                                  const kube::ApiRequest& request);
  Result<std::optional<nlohmann::json>> get(const Target& target);
  Result<bool> write(const Target& target, const std::string& verb, kube::ApiRequest request);
  Status remove(const Target& target);
  [[nodiscard]] Target secret_target() const;
  [[nodiscard]] Target webhook_target() const;

  kube::HttpClient& api_;
  ResourceNames names_;
};

}  // namespace jk::certs
