#include "webhook/cli/certs.h"

#include <charconv>
#include <iostream>

#include "common/log.h"
#include "webhook/certs/reconcile.h"
#include "webhook/cli/setup.h"
#include "webhook/kube/http_client.h"

namespace jk::cli {
namespace {

constexpr int kFailure = 1;
constexpr int kUsageError = 2;
constexpr int kMaxValidityDays = 3650;
constexpr int kHoursPerDay = 24;

const std::vector<FlagSpec> kCertsFlags = {
    {"namespace", "n", true, "NS", "namespace of the Service and the Secret (required)"},
    {"service", "", true, "NAME", "webhook Service: the certificate names NAME.NS.svc (required)"},
    {"secret", "", true, "NAME", "TLS Secret to create or renew (required)"},
    {"webhook-config", "", true, "NAME",
     "MutatingWebhookConfiguration whose caBundle to patch (required)"},
    {"kubeconfig", "", true, "FILE", "default: in cluster, $KUBECONFIG, ~/.kube/config"},
    {"validity", "", true, "DAYS", "serving certificate lifetime (default 365)"},
    {"renew-before", "", true, "DAYS", "renew when it expires within DAYS (default 30)"},
    {"webhook-config-optional", "", false, "",
     "a missing webhook configuration is not an error (pre-install)"},
    {"delete", "", false, "", "delete the webhook configuration, then the Secret (uninstall)"},
    {"keep-secret", "", false, "", "with --delete: leave the Secret"},
    {"log-level", "", true, "LEVEL", "debug|info|warn|error (default info)"},
};

Result<int> parse_days(const Args& args, const std::string& flag, int fallback, int min) {
  const auto text = args.get(flag);
  if (!text) return fallback;
  int value = 0;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > kMaxValidityDays) {
    return make_error("--" + flag + ": expected a number of days from " + std::to_string(min) +
                      " to " + std::to_string(kMaxValidityDays) + ", got \"" + *text + "\"");
  }
  return value;
}

Result<std::string> required(const Args& args, const std::string& flag) {
  auto value = args.get(flag);
  if (!value || value->empty()) return make_error("--" + flag + " is required");
  return *value;
}

Status check_combinations(const Args& args, const certs::CertsOptions& o) {
  if (o.keep_secret && !o.remove) return make_error("--keep-secret only goes with --delete");
  if (o.remove) return {};
  if (o.service.empty()) return make_error("--service is required");
  if (o.renew_before >= o.validity) {
    return make_error("--renew-before (" + args.get_or("renew-before", "30") +
                      " days) must be shorter than --validity (" + args.get_or("validity", "365") +
                      " days), or every run would renew");
  }
  return {};
}

int fail(int code, const std::string& message) {
  std::cerr << "jailkeeper-webhook certs: " << message << "\n";
  return code;
}

Status run_against_api(const Args& args, const certs::CertsOptions& o) {
  JK_TRY(auto config, kube::resolve_config(args.get("kubeconfig"), process_environment()));
  JK_TRY(auto client, kube::HttpClient::create(std::move(config)));
  certs::KubeResources api(*client, {o.namespace_name, o.secret, o.webhook_config});
  if (o.remove) return certs::remove_resources(api, o);
  JK_TRY(const auto done, certs::ensure_certificates(api, o, certs::Clock::now()));
  log::info("certificates reconciled", {{"issued", done.issued},
                                        {"caBundlePatched", done.bundle_patched},
                                        {"webhookConfigMissing", done.config_missing},
                                        {"reason", done.reason}});
  return {};
}

}  // namespace

Result<certs::CertsOptions> certs_options(const Args& args) {
  certs::CertsOptions o;
  JK_TRY(o.namespace_name, required(args, "namespace"));
  JK_TRY(o.secret, required(args, "secret"));
  JK_TRY(o.webhook_config, required(args, "webhook-config"));
  o.service = args.get_or("service", "");
  JK_TRY(const int validity, parse_days(args, "validity", certs::kDefaultValidityDays, 1));
  JK_TRY(const int renew, parse_days(args, "renew-before", certs::kDefaultRenewBeforeDays, 0));
  o.validity = std::chrono::hours(kHoursPerDay * validity);
  o.renew_before = std::chrono::hours(kHoursPerDay * renew);
  o.webhook_config_optional = args.has("webhook-config-optional");
  o.remove = args.has("delete");
  o.keep_secret = args.has("keep-secret");
  JK_TRY_STATUS(check_combinations(args, o));
  return o;
}

int run_certs(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, kCertsFlags);
  if (args.ok() && args->has("help")) {
    std::cout << usage(
        "jailkeeper-webhook certs --namespace NS --service NAME --secret NAME "
        "--webhook-config NAME [flags]",
        kCertsFlags);
    return 0;
  }
  auto opts = args.ok() ? certs_options(*args) : Result<certs::CertsOptions>(args.error());
  if (!opts.ok()) return fail(kUsageError, opts.error().message);
  log::Level level = log::Level::kInfo;
  if (!log::parse_level(args->get_or("log-level", "info"), level)) {
    return fail(kUsageError, "--log-level: expected debug, info, warn or error");
  }
  log::set_level(level);
  const Status done = run_against_api(*args, *opts);
  if (!done.ok()) return fail(kFailure, done.error().message);
  return 0;
}

}  // namespace jk::cli
