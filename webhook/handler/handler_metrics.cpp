#include "webhook/handler/handler_metrics.h"

namespace jk::handler {

HandlerMetrics::HandlerMetrics(metrics::Registry& registry)
    : reviews(
          registry.counter("jailkeeper_reviews_total",
                           "Admission reviews answered, by outcome, predicted node OS and jail.",
                           {"outcome", "node_os", "jail", "dry_run"})),
      skips(registry.counter("jailkeeper_skips_total", "Pods left unchanged on purpose, by reason.",
                             {"reason"})),
      bad_requests(registry.counter("jailkeeper_bad_requests_total",
                                    "Request bodies that were not a readable AdmissionReview.")),
      duration(registry.histogram(
          "jailkeeper_review_duration_seconds",
          "Time from reading the review body to the encoded response.",
          {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1})) {}

}  // namespace jk::handler
