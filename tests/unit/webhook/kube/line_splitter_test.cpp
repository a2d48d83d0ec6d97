#include "webhook/kube/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "webhook/kube/url_query.h"

namespace jk::kube {
namespace {

struct SplitCase {
  std::string name;
  std::vector<std::string> pieces;
  std::vector<std::string> lines;
  std::size_t pending;
};

TEST(LineSplitter, EmitsCompleteLinesWhateverThePieces) {
  const std::vector<SplitCase> cases = {
      {"one line in one piece", {"{\"a\":1}\n"}, {"{\"a\":1}"}, 0},
      {"a line split across pieces", {"{\"a\"", ":1}", "\n"}, {"{\"a\":1}"}, 0},
      {"two lines in one piece", {"x\ny\n"}, {"x", "y"}, 0},
      {"CRLF and blank lines", {"x\r\n\n", "y\n"}, {"x", "y"}, 0},
      {"an unfinished line stays pending", {"x\nabc"}, {"x"}, 3},
  };
  for (const auto& c : cases) {
    LineSplitter splitter;
    std::vector<std::string> lines;
    for (const auto& piece : c.pieces) {
      splitter.feed(piece, [&](std::string_view line) {
        lines.emplace_back(line);
        return true;
      });
    }
    EXPECT_EQ(lines, c.lines) << c.name;
    EXPECT_EQ(splitter.pending_bytes(), c.pending) << c.name;
  }
}

TEST(LineSplitter, StopsWhenTheHandlerSaysSo) {
  LineSplitter splitter;
  int calls = 0;
  EXPECT_FALSE(splitter.feed("a\nb\nc\n", [&](std::string_view) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2);
}

TEST(QueryEscape, EscapesEverythingButUnreservedCharacters) {
  EXPECT_EQ(query_escape("abc-_.~09"), "abc-_.~09");
  EXPECT_EQ(query_escape("eyJ2Ijo+/x=="), "eyJ2Ijo%2B%2Fx%3D%3D");
  EXPECT_EQ(query_escape(""), "");
}

}  // namespace
}  // namespace jk::kube
