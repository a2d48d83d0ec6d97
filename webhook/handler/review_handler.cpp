#include "webhook/handler/review_handler.h"

#include <chrono>

#include "common/buffer_pool.h"
#include "common/log.h"
#include "common/strings.h"
#include "webhook/review/admission_review.h"
#include "webhook/review/pod_decoder.h"
#include "webhook/review/review_response.h"

namespace jk::handler {
namespace {

constexpr int kOk = 200;
constexpr int kBadRequest = 400;
constexpr int kNotFound = 404;
constexpr int kMethodNotAllowed = 405;
constexpr int kUnsupportedMediaType = 415;

server::HttpResponse text(int status, std::string body) {
  return server::HttpResponse{status, "text/plain; charset=utf-8", std::move(body) + "\n"};
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

void log_review(const review::AdmissionRequest& req, const inject::MutationResult& r,
                double seconds) {
  if (log::level() > log::Level::kInfo) return;  // don't format what will not be written
  const auto* d = r.decision ? &*r.decision : nullptr;
  const std::string kernel = d && d->prediction.min_kernel ? d->prediction.min_kernel->str() : "";
  const std::string changes = join(r.changes, "; ");
  const std::string warnings = join(r.warnings, "; ");
  log::info("review",
            {{"uid", req.uid},
             {"namespace", req.namespace_name},
             {"pod", req.name},
             {"nodeOS", d ? std::string_view(d->node_os_label) : std::string_view()},
             {"kernel", kernel},
             {"jail", d ? launchspec::jail_name(d->jail) : std::string_view()},
             {"outcome", inject::outcome_name(r.outcome)},
             {"reason", r.outcome == inject::Outcome::kDenied ? r.deny_message : r.skip_reason},
             {"changes", changes},
             {"warnings", warnings},
             {"dryRun", req.dry_run},
             {"durationMs", seconds * 1000.0}});
}

// The answer, written straight into `out`. Warnings are clipped in place (r is ours).
void encode(const review::AdmissionRequest& req, inject::MutationResult& r, std::string& out) {
  const std::string_view patch =
      r.outcome == inject::Outcome::kPatched ? std::string_view(r.patch) : std::string_view();
  for (auto& w : r.warnings) w = clip_warning(std::move(w));
  review::AdmissionResponse resp;
  resp.uid = req.uid;
  resp.allowed = r.outcome != inject::Outcome::kDenied;
  resp.patch = patch;
  if (!resp.allowed) {
    resp.status_code = r.deny_code;
    resp.status_message = r.deny_message;
  }
  resp.warnings = r.warnings;
  resp.audit_annotations = &r.audit_annotations;
  constexpr std::size_t kEnvelopeBytes = 1024;
  out.reserve(out.size() + (patch.size() + 2) / 3 * 4 + kEnvelopeBytes);
  review::encode_response(req.api_version, resp, out);
}

}  // namespace

std::string clip_warning(std::string w) {
  if (w.size() <= kMaxWarningLength) return w;
  std::size_t cut = kMaxWarningLength - 3;
  while (cut > 0 && (static_cast<unsigned char>(w[cut]) & 0xC0) == 0x80) --cut;
  w.resize(cut);
  return w + "...";
}

ReviewHandler::ReviewHandler(SnapshotSource snapshots, metrics::Registry& registry)
    : snapshots_(std::move(snapshots)), metrics_(registry) {}

server::HttpResponse ReviewHandler::handle(const server::HttpRequest& request) const {
  if (path_of(request.target) != "/mutate") return text(kNotFound, "not found: use POST /mutate");
  if (request.method != "POST")
    return text(kMethodNotAllowed, "method not allowed: use POST /mutate");
  if (!request.content_type.empty() && !starts_with_ci(request.content_type, "application/json")) {
    return text(kUnsupportedMediaType, "unsupported content type: expected application/json");
  }
  return review(request.body);
}

server::HttpResponse ReviewHandler::review(std::string_view body) const {
  // One parse arena per worker thread, reused by every review it handles: a steady stream of
  // reviews parses without the heap, and an idle connection holds none of it.
  thread_local review::JsonArena arena;
  const auto start = std::chrono::steady_clock::now();
  auto req = review::decode_review(body, arena);
  if (!req.ok()) {
    metrics_.bad_requests.with({}).inc();
    log::warn("bad admission review", {{"error", req.error().message}});
    return text(kBadRequest, "bad AdmissionReview: " + req.error().message);
  }
  inject::MutationResult r;
  if (req->is_pod_create()) {
    r = inject::mutate(review::decode_pod(*req->object), snapshots_(),
                       inject::MutationOptions{req->namespace_name, std::nullopt});
  } else {
    r.outcome = inject::Outcome::kSkipped;
    r.skip_reason = "not-a-pod-create";
    r.audit_annotations = {{"outcome", "skipped"}, {"skip-reason", r.skip_reason}};
  }
  server::HttpResponse response{kOk, "application/json", take_buffer()};
  encode(*req, r, response.body);
  give_buffer(std::move(r.patch));  // the answer holds it base64-encoded
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto* d = r.decision ? &*r.decision : nullptr;
  metrics_.reviews
      .with({inject::outcome_name(r.outcome), d ? std::string_view(d->node_os_label) : "",
             d ? launchspec::jail_name(d->jail) : "", req->dry_run ? "true" : "false"})
      .inc();
  if (r.outcome == inject::Outcome::kSkipped) metrics_.skips.with({r.skip_reason}).inc();
  metrics_.duration.with({}).observe(seconds);
  log_review(*req, r, seconds);
  return response;
}

}  // namespace jk::handler
