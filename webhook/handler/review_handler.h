#pragma once
// POST /mutate: AdmissionReview in, AdmissionReview out, through inject::mutate on the current
// snapshots. Records one log line and the metrics per review. Thread-safe (no mutable state
// besides atomics; the snapshot source must be callable from any thread).
#include <functional>

#include "webhook/handler/handler_metrics.h"
#include "webhook/inject/mutate.h"
#include "webhook/server/http.h"

namespace jk::handler {

inline constexpr std::size_t kMaxWarningLength = 120;

// The inputs of one review, taken once per review: cheap shared_ptr copies of the live (or
// file) inventory's current snapshots and the configuration.
using SnapshotSource = std::function<inject::Snapshot()>;

class ReviewHandler {
 public:
  ReviewHandler(SnapshotSource snapshots, metrics::Registry& registry);
  // Routes: POST /mutate; anything else 404/405.
  [[nodiscard]] server::HttpResponse handle(const server::HttpRequest& request) const;
  [[nodiscard]] server::HttpResponse review(std::string_view body) const;

 private:
  SnapshotSource snapshots_;
  HandlerMetrics metrics_;
};

// Shortens to at most kMaxWarningLength bytes without splitting a UTF-8 sequence.
std::string clip_warning(std::string warning);

}  // namespace jk::handler
