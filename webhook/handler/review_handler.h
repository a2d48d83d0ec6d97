#pragma once
// POST /mutate: AdmissionReview in, AdmissionReview out, through the Mutator. Records one log
// line and the metrics per review. Thread-safe (no mutable state besides atomics).
#include "webhook/handler/handler_metrics.h"
#include "webhook/handler/mutator.h"
#include "webhook/server/http.h"

namespace jk::handler {

inline constexpr std::size_t kMaxWarningLength = 120;

class ReviewHandler {
 public:
  ReviewHandler(const Mutator& mutator, metrics::Registry& registry);
  // Routes: POST /mutate; anything else 404/405.
  [[nodiscard]] server::HttpResponse handle(const server::HttpRequest& request) const;
  [[nodiscard]] server::HttpResponse review(std::string_view body) const;

 private:
  const Mutator& mutator_;
  HandlerMetrics metrics_;
};

// Shortens to at most kMaxWarningLength bytes without splitting a UTF-8 sequence.
std::string clip_warning(std::string warning);

}  // namespace jk::handler
