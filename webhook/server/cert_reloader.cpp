#include "webhook/server/cert_reloader.h"

#include "common/log.h"
#include "webhook/server/file_digest.h"

namespace jk::server {

CertReloader::CertReloader(TlsFiles files, TlsContextStore& store, ServerMetrics& metrics)
    : files_(std::move(files)), store_(store), metrics_(metrics) {}

Result<CertReloader::Contents> CertReloader::read_contents() const {
  Contents contents;
  auto cert = read_file(files_.cert);
  if (!cert) return Error{"tls-cert " + cert.error().message};
  auto key = read_file(files_.key);
  if (!key) return Error{"tls-key " + key.error().message};
  contents.digest = sha256_hex(*cert + '\0' + *key);
  contents.cert_pem = std::move(*cert);
  contents.key_pem = std::move(*key);
  return contents;
}

Status CertReloader::install(const Contents& contents) {
  JK_TRY(TlsMaterial material, make_server_context(files_, contents.cert_pem, contents.key_pem));
  store_.set(std::move(material.context));
  metrics_.certificate_expiry.set(static_cast<double>(material.not_after));
  loaded_digest_ = contents.digest;
  return {};
}

std::string CertReloader::signature() const {
  auto cert = stat_signature(files_.cert);
  auto key = stat_signature(files_.key);
  return (cert ? *cert : std::string("-")) + "|" + (key ? *key : std::string("-"));
}

Status CertReloader::load() {
  const std::string stat_before = signature();
  JK_TRY(const Contents contents, read_contents());
  JK_TRY_STATUS(install(contents));
  last_stat_ = stat_before;
  return {};
}

CertReloader::PollResult CertReloader::poll() {
  const std::string stat_now = signature();
  if (stat_now == last_stat_) return PollResult::kUnchanged;
  auto contents = read_contents();
  if (contents && contents->digest == loaded_digest_) {
    last_stat_ = stat_now;  // touched or re-linked, same bytes
    return PollResult::kUnchanged;
  }
  const Status status = contents ? install(*contents) : Status{contents.error()};
  if (!status) {
    report_failure(status.error());
    return PollResult::kFailed;
  }
  last_stat_ = stat_now;
  last_error_.clear();
  metrics_.certificate_reloads.with({"success"}).inc();
  log::info("certificate reloaded",
            {{"tls_cert", files_.cert},
             {"not_after", static_cast<std::int64_t>(metrics_.certificate_expiry.value())}});
  return PollResult::kReloaded;
}

void CertReloader::report_failure(const Error& error) {
  metrics_.certificate_reloads.with({"failure"}).inc();
  // One error line per distinct problem; repeats of the same one (every poll) go to debug.
  const bool repeated = error.message == last_error_;
  log::write(repeated ? log::Level::kDebug : log::Level::kError,
             "certificate reload failed, keeping the current certificate",
             {{"error", error.message}});
  last_error_ = error.message;
}

void CertReloader::start(const boost::asio::any_io_executor& executor,
                         std::chrono::milliseconds interval) {
  timer_ = std::make_unique<boost::asio::steady_timer>(executor);
  interval_ = interval;
  schedule();
}

void CertReloader::stop() {
  if (timer_) timer_->cancel();
}

void CertReloader::schedule() {
  timer_->expires_after(interval_);
  timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    (void)poll();
    schedule();
  });
}

}  // namespace jk::server
