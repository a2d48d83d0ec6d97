#include "webhook/certs/resources.h"

#include "webhook/kube/api_status.h"

namespace jk::certs {
namespace {

using nlohmann::json;

constexpr unsigned kNotFound = 404;
constexpr unsigned kConflict = 409;
constexpr unsigned kForbidden = 403;
constexpr unsigned kSuccessMin = 200;
constexpr unsigned kSuccessEnd = 300;

bool success(unsigned status) { return status >= kSuccessMin && status < kSuccessEnd; }

}  // namespace

// One object: where it lives and how to name it in messages.
struct KubeResources::Target {
  std::string collection;  // POST here
  std::string path;        // the object itself
  std::string
      resource;  // "secrets" or "mutatingwebhookconfigurations.admissionregistration.k8s.io"
  std::string name;
  std::string scope;  // " in namespace NS" or ""

  [[nodiscard]] std::string describe(const std::string& verb) const {
    return verb + " " + resource + " \"" + name + "\"" + scope;
  }
};

KubeResources::KubeResources(kube::HttpClient& api, ResourceNames names)
    : api_(api), names_(std::move(names)) {}

KubeResources::Target KubeResources::secret_target() const {
  const std::string collection = "/api/v1/namespaces/" + names_.namespace_name + "/secrets";
  return {collection, collection + "/" + names_.secret, "secrets", names_.secret,
          " in namespace " + names_.namespace_name};
}

KubeResources::Target KubeResources::webhook_target() const {
  const std::string collection =
      "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";
  return {collection, collection + "/" + names_.webhook_config,
          "mutatingwebhookconfigurations.admissionregistration.k8s.io", names_.webhook_config, ""};
}

Result<kube::HttpResponse> KubeResources::call(const Target& target, const std::string& verb,
                                               const kube::ApiRequest& request) {
  auto response = api_.request(request);
  if (!response.ok()) return response.error().wrap(target.describe(verb));
  if (response->status == kForbidden) {
    return make_error("forbidden: cannot " + target.describe(verb) + " (" +
                      kube::http_failure(response->status, response->body) +
                      "); the ServiceAccount running certs needs the \"" + verb + "\" verb on " +
                      target.resource + " (the chart grants it in templates/certs-rbac.yaml)");
  }
  return response;
}

Result<std::optional<json>> KubeResources::get(const Target& target) {
  JK_TRY(const auto response, call(target, "get", {"GET", target.path, "", ""}));
  if (response.status == kNotFound) return std::optional<json>();
  if (!success(response.status)) {
    return make_error(target.describe("get") + ": " +
                      kube::http_failure(response.status, response.body));
  }
  auto object = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object())
    return make_error(target.describe("get") + ": answer is not a JSON object");
  return std::optional<json>(std::move(object));
}

Result<bool> KubeResources::write(const Target& target, const std::string& verb,
                                  kube::ApiRequest request) {
  JK_TRY(const auto response, call(target, verb, request));
  if (response.status == kConflict) return false;
  if (!success(response.status)) {
    return make_error(target.describe(verb) + ": " +
                      kube::http_failure(response.status, response.body));
  }
  return true;
}

Status KubeResources::remove(const Target& target) {
  JK_TRY(const auto response, call(target, "delete", {"DELETE", target.path, "", ""}));
  if (response.status == kNotFound || success(response.status)) return {};
  return make_error(target.describe("delete") + ": " +
                    kube::http_failure(response.status, response.body));
}

Result<std::optional<json>> KubeResources::get_secret() { return get(secret_target()); }

Result<bool> KubeResources::create_secret(const json& secret) {
  const Target t = secret_target();
  return write(t, "create", {"POST", t.collection, secret.dump(), "application/json"});
}

Result<bool> KubeResources::update_secret(const json& secret) {
  const Target t = secret_target();
  return write(t, "update", {"PUT", t.path, secret.dump(), "application/json"});
}

Status KubeResources::delete_secret() { return remove(secret_target()); }

Result<std::optional<json>> KubeResources::get_webhook_config() { return get(webhook_target()); }

Result<bool> KubeResources::patch_webhook_config(const json& json_patch) {
  const Target t = webhook_target();
  return write(t, "patch", {"PATCH", t.path, json_patch.dump(), "application/json-patch+json"});
}

Status KubeResources::delete_webhook_config() { return remove(webhook_target()); }

}  // namespace jk::certs
