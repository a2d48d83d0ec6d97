#pragma once
// The review handler's metrics, registered once in the process registry.
#include "common/metrics.h"

namespace jk::handler {

struct HandlerMetrics {
  explicit HandlerMetrics(metrics::Registry& registry);
  metrics::Family<metrics::Counter>& reviews;  // outcome, node_os, jail
  metrics::Family<metrics::Counter>& skips;    // reason
  metrics::Family<metrics::Counter>& bad_requests;
  metrics::Family<metrics::Histogram>& duration;  // seconds, sub-millisecond buckets
};

}  // namespace jk::handler
