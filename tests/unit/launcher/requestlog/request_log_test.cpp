#include "launcher/requestlog/request_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "tests/unit/launcher/temp_dir.h"

namespace jk::launcher::requestlog {
namespace {

RequestRecord with(Decision decision) {
  RequestRecord r;
  r.decision = decision;
  r.method = "GET";
  return r;
}

TEST(RequestLog, DenialsAlwaysAllowedOnlyAtInfo) {
  struct Case {
    log::Level level;
    std::vector<std::string> written;  // decisions written for allow, deny, error
  };
  const Case cases[] = {
      {log::Level::kDebug, {"allow", "deny", "error"}},
      {log::Level::kInfo, {"allow", "deny", "error"}},
      {log::Level::kWarn, {"deny", "error"}},
      {log::Level::kError, {"deny", "error"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> lines;
    auto log = RequestLog::with_sink(c.level, [&](std::string_view l) { lines.emplace_back(l); });
    log->record(with(Decision::kAllow));
    log->record(with(Decision::kDeny));
    log->record(with(Decision::kError));
    std::vector<std::string> decisions;
    for (const auto& l : lines) decisions.push_back(nlohmann::json::parse(l)["decision"]);
    EXPECT_EQ(decisions, c.written) << log::level_name(c.level);
  }
}

TEST(RequestLog, EveryRecordGetsTheNextSequenceNumber) {
  std::vector<std::string> lines;
  auto log =
      RequestLog::with_sink(log::Level::kWarn, [&](std::string_view l) { lines.emplace_back(l); });
  EXPECT_EQ(log->record(with(Decision::kAllow)), 1u);  // not written, still numbered
  EXPECT_EQ(log->record(with(Decision::kDeny)), 2u);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["seq"], 2);
}

TEST(RequestLog, WritesOneLinePerRecordToTheSessionFile) {
  testing::TempDir dir;
  auto log = RequestLog::open({dir.path(), "abc123", log::Level::kInfo});
  ASSERT_TRUE(log.ok()) << log.error().message;
  EXPECT_EQ((*log)->path(), dir.path() + "/audit-abc123.jsonl");
  (*log)->record(with(Decision::kAllow));
  (*log)->record(with(Decision::kDeny));
  std::ifstream in((*log)->path());
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(nlohmann::json::parse(line)["seq"], ++count);
  }
  EXPECT_EQ(count, 2);
  struct stat st {};
  ASSERT_EQ(::stat((*log)->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(RequestLog, ErrorsNameTheFile) {
  const auto missing = RequestLog::open({"/nonexistent-dir", "s", log::Level::kInfo});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "open /nonexistent-dir/audit-s.jsonl: No such file or directory");
  EXPECT_FALSE(RequestLog::open({"/tmp", "../x", log::Level::kInfo}).ok());
  EXPECT_FALSE(RequestLog::open({"/tmp", "", log::Level::kInfo}).ok());
}

}  // namespace
}  // namespace jk::launcher::requestlog
