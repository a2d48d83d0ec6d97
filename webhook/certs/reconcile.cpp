#include "webhook/certs/reconcile.h"

#include <optional>

#include "common/log.h"
#include "webhook/certs/ca_bundle.h"
#include "webhook/certs/renewal.h"
#include "webhook/certs/secret.h"
#include "webhook/certs/webhook_config.h"

namespace jk::certs {
namespace {

using nlohmann::json;

// The state one attempt starts from.
struct Observed {
  std::optional<json> secret;
  std::optional<json> config;
};

Result<Observed> observe(KubeResources& api, const CertsOptions& o) {
  Observed seen;
  JK_TRY(seen.secret, api.get_secret());
  JK_TRY(seen.config, api.get_webhook_config());
  if (!seen.config && !o.webhook_config_optional) {
    return make_error("mutatingwebhookconfigurations.admissionregistration.k8s.io \"" +
                      o.webhook_config +
                      "\" not found: the chart or manifests create it (this Job retries until it "
                      "exists); pass --webhook-config-optional to write only the Secret");
  }
  return seen;
}

Result<TlsMaterial> material_for(const RenewalDecision& decision, const Observed& seen,
                                 const CertsOptions& o, Clock::time_point now) {
  if (!decision.issue) return material_from_secret(*seen.secret);
  const auto names = serving_names(o);
  return issue_ca_and_leaf({names.front(), names, o.validity, now});
}

std::vector<Certificate> previous_cas(const Observed& seen) {
  auto out = bundle_certificates(*seen.config);
  if (seen.secret) {
    auto old = parse_certificates(material_from_secret(*seen.secret).ca_pem);
    if (old.ok()) out.insert(out.end(), old->begin(), old->end());
  }
  return out;
}

// Writes the caBundle when it differs; false on a conflict.
Result<bool> patch_bundle(KubeResources& api, const Observed& seen, const TlsMaterial& material,
                          Clock::time_point now, EnsureResult& result) {
  JK_TRY(const Certificate ca, parse_certificate(material.ca_pem));
  const std::string bundle = merge_ca_bundle(ca, previous_cas(seen), now);
  const auto patch = ca_bundle_patch(*seen.config, bundle);
  if (webhook_count(*seen.config) == 0) {
    log::warn("webhook configuration has no webhooks: nothing to patch",
              {{"webhookConfig", api.names().webhook_config}});
  }
  if (!patch) return true;
  JK_TRY(const bool done, api.patch_webhook_config(*patch));
  result.bundle_patched = done;
  return done;
}

Result<bool> write_secret(KubeResources& api, const Observed& seen, const CertsOptions& o,
                          const TlsMaterial& material) {
  if (seen.secret) return api.update_secret(updated_secret(*seen.secret, material));
  return api.create_secret(new_secret(o.namespace_name, o.secret, material));
}

// One read-decide-write pass; nullopt when a write met a conflict.
Result<std::optional<EnsureResult>> attempt(KubeResources& api, const CertsOptions& o,
                                            Clock::time_point now) {
  JK_TRY(const Observed seen, observe(api, o));
  const std::optional<TlsMaterial> current =
      seen.secret ? std::optional(material_from_secret(*seen.secret)) : std::nullopt;
  const RenewalDecision decision = decide_renewal(current, {serving_names(o), o.renew_before}, now);
  JK_TRY(const TlsMaterial material, material_for(decision, seen, o, now));
  EnsureResult result{decision.issue, false, !seen.config, decision.reason};
  if (seen.config) {
    JK_TRY(const bool patched, patch_bundle(api, seen, material, now, result));
    if (!patched) return std::optional<EnsureResult>();
  }
  if (decision.issue) {
    JK_TRY(const bool written, write_secret(api, seen, o, material));
    if (!written) return std::optional<EnsureResult>();
  }
  return std::optional(result);
}

}  // namespace

std::vector<std::string> serving_names(const CertsOptions& options) {
  const std::string svc = options.service + "." + options.namespace_name + ".svc";
  return {svc, svc + ".cluster.local"};
}

Result<EnsureResult> ensure_certificates(KubeResources& api, const CertsOptions& options,
                                         Clock::time_point now) {
  for (int i = 1; i <= kMaxAttempts; ++i) {
    JK_TRY(const auto done, attempt(api, options, now));
    if (done) return *done;
    log::info("conflicting write, re-reading", {{"attempt", i}});
  }
  return make_error("gave up after " + std::to_string(kMaxAttempts) +
                    " attempts: the Secret or webhook configuration kept changing (409 Conflict)");
}

Status remove_resources(KubeResources& api, const CertsOptions& options) {
  JK_TRY_STATUS(api.delete_webhook_config());
  log::info("webhook configuration deleted (or absent)", {{"name", options.webhook_config}});
  if (options.keep_secret) return {};
  JK_TRY_STATUS(api.delete_secret());
  log::info("secret deleted (or absent)",
            {{"name", options.secret}, {"namespace", options.namespace_name}});
  return {};
}

}  // namespace jk::certs
