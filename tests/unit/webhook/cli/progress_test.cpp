// audit's progress line: rewritten in place on a terminal, cleared before the report, and
// nothing at all when stderr is not a terminal.
#include "webhook/cli/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace jk::cli {
namespace {

TEST(Progress, CountsPagesAndObjectsPerResourceAndClearsTheLine) {
  std::ostringstream out;
  Progress p(out, true);
  p.page("namespaces", 3);
  p.page("pods", 500);
  p.page("pods", 120);
  p.judging(620);
  p.clear();
  EXPECT_EQ(out.str(),
            "\r\033[Kaudit: listing namespaces: 1 page, 3 objects"
            "\r\033[Kaudit: listing pods: 1 page, 500 objects"
            "\r\033[Kaudit: listing pods: 2 pages, 620 objects"
            "\r\033[Kaudit: 3 pages fetched; judging 620 pods"
            "\r\033[K");
}

TEST(Progress, ClearWritesNothingWhenNothingIsShown) {
  std::ostringstream out;
  Progress p(out, true);
  p.clear();
  EXPECT_EQ(out.str(), "");
}

TEST(Progress, SilentWhenDisabled) {
  std::ostringstream out;
  Progress p(out, false);
  p.page("pods", 500);
  p.judging(500);
  p.clear();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace jk::cli
