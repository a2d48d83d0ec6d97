#include "webhook/kube/exec_credential.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/json_util.h"
#include "webhook/kube/pem.h"

namespace jk::kube {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr std::size_t kMaxQuoted = 80;

// A string field of status; absent or null is "", any other type is an error.
Result<std::string> status_string(const json& status, const char* key) {
  const json& value = json_at(status, key);
  if (value.is_null()) return std::string();
  if (!value.is_string()) return make_error(std::string("status.") + key + ": expected a string");
  return value.get<std::string>();
}

// Digits at text[pos, pos+n) as a number, or -1.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');  // NOLINT(readability-magic-numbers)
  }
  return value;
}

bool at(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && (text[pos] == c || (c == 'T' && text[pos] == 't'));
}

// Offset east of UTC in seconds from "Z" or "+hh:mm"/"-hh:mm" at pos; nullopt when malformed.
std::optional<long> zone_offset(std::string_view text, std::size_t pos) {
  if (pos + 1 == text.size() && (text[pos] == 'Z' || text[pos] == 'z')) return 0L;
  if (pos + 6 != text.size() || (text[pos] != '+' && text[pos] != '-') || text[pos + 3] != ':') {
    return std::nullopt;
  }
  const int hours = digits(text, pos + 1, 2);
  const int minutes = digits(text, pos + 4, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;  // NOLINT
  const long offset = (hours * 60L + minutes) * 60L;                                // NOLINT
  return text[pos] == '-' ? -offset : offset;
}

Status check_pem(const ExecCredential& credential) {
  if (credential.client_cert_pem.empty() != credential.client_key_pem.empty()) {
    return make_error("status: clientCertificateData and clientKeyData must be given together");
  }
  if (credential.client_cert_pem.empty()) return {};
  auto valid = validate_client_certificate(credential.client_cert_pem);
  if (!valid) return valid.error().wrap("status.clientCertificateData");
  valid = validate_private_key(credential.client_key_pem);
  if (!valid) return valid.error().wrap("status.clientKeyData");
  return validate_key_matches(credential.client_cert_pem, credential.client_key_pem);
}

Result<ExecCredential> read_status(const json& status) {
  if (!status.is_object()) return make_error("status: missing (expected an object)");
  ExecCredential out;
  JK_TRY(out.token, status_string(status, "token"));
  JK_TRY(out.client_cert_pem, status_string(status, "clientCertificateData"));
  JK_TRY(out.client_key_pem, status_string(status, "clientKeyData"));
  if (out.token.empty() && out.client_cert_pem.empty() && out.client_key_pem.empty()) {
    return make_error("status: neither a token nor clientCertificateData + clientKeyData");
  }
  JK_TRY_STATUS(check_pem(out));
  JK_TRY(const std::string expiry, status_string(status, "expirationTimestamp"));
  if (!expiry.empty()) {
    auto time = parse_rfc3339(expiry);
    if (!time) return time.error().wrap("status.expirationTimestamp");
    out.expiry = *time;
  }
  return out;
}

}  // namespace

std::string exec_info_json(const ExecConfig& exec, const ClientConfig& cluster, bool interactive) {
  json spec = {{"interactive", interactive}};
  if (exec.provide_cluster_info) {
    json c = {{"server", cluster.server}};
    if (!cluster.tls_server_name.empty() && cluster.tls_server_name != cluster.host) {
      c["tls-server-name"] = cluster.tls_server_name;
    }
    if (cluster.insecure_skip_tls_verify) c["insecure-skip-tls-verify"] = true;
    if (!cluster.ca_pem.empty()) c["certificate-authority-data"] = base64_encode(cluster.ca_pem);
    spec["cluster"] = std::move(c);
  }
  const json info = {
      {"apiVersion", exec.api_version}, {"kind", "ExecCredential"}, {"spec", std::move(spec)}};
  return info.dump();
}

Result<ExecCredential> parse_exec_credential(std::string_view text, std::string_view api_version) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    const std::string start(text.substr(0, kMaxQuoted));
    return make_error("not an ExecCredential JSON object (output starts \"" + start + "\")");
  }
  const json& version = json_at(doc, "apiVersion");
  const std::string got = version.is_string() ? version.get<std::string>() : "";
  if (got != api_version) {
    return make_error("apiVersion \"" + got + "\" but the kubeconfig asks for \"" +
                      std::string(api_version) + "\"");
  }
  const json& kind = json_at(doc, "kind");
  if (!kind.is_string() || kind.get<std::string>() != "ExecCredential") {
    return make_error("kind: expected ExecCredential");
  }
  return read_status(json_at(doc, "status"));
}

Result<Clock::time_point> parse_rfc3339(std::string_view text) {
  const auto bad = [&] { return make_error("\"" + std::string(text) + "\" is not RFC 3339"); };
  std::tm tm{};
  tm.tm_year = digits(text, 0, 4) - 1900;  // NOLINT(readability-magic-numbers)
  tm.tm_mon = digits(text, 5, 2) - 1;      // NOLINT(readability-magic-numbers)
  tm.tm_mday = digits(text, 8, 2);         // NOLINT(readability-magic-numbers)
  tm.tm_hour = digits(text, 11, 2);        // NOLINT(readability-magic-numbers)
  tm.tm_min = digits(text, 14, 2);         // NOLINT(readability-magic-numbers)
  tm.tm_sec = digits(text, 17, 2);         // NOLINT(readability-magic-numbers)
  const bool shape = at(text, 4, '-') && at(text, 7, '-') && at(text, 10, 'T') &&
                     at(text, 13, ':') && at(text, 16, ':');
  if (!shape || tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
      tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 ||
      tm.tm_sec < 0 || tm.tm_sec > 60) {  // NOLINT(readability-magic-numbers)
    return bad();
  }
  std::size_t pos = 19;  // NOLINT(readability-magic-numbers)
  if (at(text, pos, '.')) {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return bad();
  }
  const auto offset = zone_offset(text, pos);
  if (!offset) return bad();
  const std::time_t utc = timegm(&tm) - *offset;
  // system_clock counts nanoseconds in 64 bits: it ends in 2262; later times are "never".
  const auto last =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::time_point::max().time_since_epoch());
  if (utc >= last.count()) return Clock::time_point::max();
  return Clock::from_time_t(utc);
}

}  // namespace jk::kube
