#pragma once
// The `certs` procedure against the API, idempotent: a second run with nothing due writes
// nothing. Each attempt reads both objects, decides, then writes the caBundle first (so the API
// server trusts a new CA before the server can present the certificate it signed) and the
// Secret second; a 409 on either write starts a fresh attempt.
#include "common/result.h"
#include "webhook/certs/certificate.h"
#include "webhook/certs/options.h"
#include "webhook/certs/resources.h"

namespace jk::certs {

// What a run did, for the log line and the tests.
struct EnsureResult {
  bool issued = false;          // a new CA + certificate was written to the Secret
  bool bundle_patched = false;  // the webhook configuration's caBundle changed
  bool config_missing = false;  // (only with webhook_config_optional) nothing to patch yet
  std::string reason;           // the renewal decision's reason
};

Result<EnsureResult> ensure_certificates(KubeResources& api, const CertsOptions& options,
                                         Clock::time_point now);

// --delete: the webhook configuration first (no webhook may point at a removed server), then
// the Secret unless keep_secret. Objects already gone are fine.
Status remove_resources(KubeResources& api, const CertsOptions& options);

}  // namespace jk::certs
