#include "common/metrics.h"

#include <gtest/gtest.h>

namespace jk::metrics {
namespace {

TEST(Metrics, RendersPrometheusText) {
  Registry r;
  auto& reviews = r.counter("jk_reviews_total", "Reviews.", {"outcome"});
  reviews.with({"patched"}).inc(2);
  reviews.with({"denied"}).inc();
  r.gauge("jk_expiry", "Expiry.").with({}).set(1.5);
  auto& h = r.histogram("jk_latency_seconds", "Latency.", {0.001, 0.01});
  h.with({}).observe(0.0005);
  h.with({}).observe(0.005);
  h.with({}).observe(1);
  const std::string out = r.render();
  EXPECT_NE(out.find("# TYPE jk_reviews_total counter\n"), std::string::npos) << out;
  EXPECT_NE(out.find("jk_reviews_total{outcome=\"patched\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("jk_reviews_total{outcome=\"denied\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("jk_expiry 1.5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("jk_latency_seconds_bucket{le=\"0.001\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("jk_latency_seconds_bucket{le=\"0.01\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("jk_latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("jk_latency_seconds_count 3\n"), std::string::npos) << out;
}

TEST(Metrics, EscapesLabelValues) {
  Registry r;
  r.counter("c", "h", {"l"}).with({"a\"b\\c\nd"}).inc();
  EXPECT_NE(r.render().find("c{l=\"a\\\"b\\\\c\\nd\"} 1"), std::string::npos) << r.render();
}

TEST(Metrics, LabelValuesFindTheSameChildWhateverTheirStringType) {
  Registry r;
  auto& family = r.counter("c", "h", {"outcome", "os"});
  const std::string outcome = "patched";
  auto& first = family.with({outcome, "bottlerocket"});
  EXPECT_EQ(&family.with({std::string_view("patched"), std::string("bottlerocket")}), &first);
  EXPECT_NE(&family.with({"patched", "bottlerocket-fips"}), &first);
  EXPECT_NE(&family.with({"patche", "dbottlerocket"}), &first);  // not a concatenation
  EXPECT_NE(&family.with({"", "patchedbottlerocket"}), &first);
  first.inc();
  EXPECT_NE(r.render().find("c{outcome=\"patched\",os=\"bottlerocket\"} 1\n"), std::string::npos)
      << r.render();
}

}  // namespace
}  // namespace jk::metrics
