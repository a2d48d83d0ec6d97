// common/json_writer: the one JSON string escaper and writer (AdmissionReview answer, JSON Patch,
// status record). Its text must be exactly what nlohmann's dump() writes for the same value,
// since the patch it replaced was a dumped document.
#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jk {
namespace {

std::string lit(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(AppendJsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(lit("plain"), "\"plain\"");
  EXPECT_EQ(lit(""), "\"\"");
  EXPECT_EQ(lit("q\"b\\n\n\t\x01"), "\"q\\\"b\\\\n\\n\\t\\u0001\"");
  EXPECT_EQ(lit("\b\f\r\x1f"), "\"\\b\\f\\r\\u001f\"");
  EXPECT_EQ(lit(std::string("nul\0x", 5)), "\"nul\\u0000x\"");
  EXPECT_EQ(lit("/ \x7f"), "\"/ \x7f\"");  // '/' and DEL need no escape (nor does dump())
}

// Valid multi-byte UTF-8, U+2028 and U+2029 included, passes unchanged, as dump() writes it.
TEST(AppendJsonString, PassesValidUtf8AsItIs) {
  EXPECT_EQ(lit("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82"),
            "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82\"");
  EXPECT_EQ(lit("\xe2\x80\xa8\xe2\x80\xa9"), "\"\xe2\x80\xa8\xe2\x80\xa9\"");
  EXPECT_EQ(lit("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");  // U+10FFFF, the last code point
}

// Each invalid byte becomes U+FFFD: the text is always valid JSON.
TEST(AppendJsonString, ReplacesInvalidUtf8) {
  EXPECT_EQ(lit("a\xff"), "\"a\xef\xbf\xbd\"");
  EXPECT_EQ(lit("\xc3"), "\"\xef\xbf\xbd\"");                                  // truncated sequence
  EXPECT_EQ(lit("\xc0\xaf"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");                  // overlong '/'
  EXPECT_EQ(lit("\xed\xa0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");  // surrogate
  for (const std::string& s : {std::string("\xf4\x90\x80\x80"), std::string("x\xe2\x82")}) {
    EXPECT_FALSE(nlohmann::json::parse(lit(s), nullptr, false).is_discarded()) << lit(s);
  }
}

// A random valid UTF-8 string: ASCII (controls, quotes, backslashes included) and code points of
// every encoded length, surrogates left out.
std::string random_utf8(std::mt19937& rng) {
  std::uniform_int_distribution<int> length(0, 24);
  std::uniform_int_distribution<int> kind(0, 3);
  std::string s;
  for (int n = length(rng); n > 0; --n) {
    std::uint32_t cp = 0;
    switch (kind(rng)) {
      case 0:
        cp = std::uniform_int_distribution<std::uint32_t>(0, 0x7f)(rng);
        break;
      case 1:
        cp = std::uniform_int_distribution<std::uint32_t>(0x80, 0x7ff)(rng);
        break;
      case 2:
        cp = std::uniform_int_distribution<std::uint32_t>(0x800, 0xffff)(rng);
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x2028;
        break;
      default:
        cp = std::uniform_int_distribution<std::uint32_t>(0x10000, 0x10ffff)(rng);
    }
    std::string one;
    if (cp < 0x80) {
      one += static_cast<char>(cp);
    } else if (cp < 0x800) {
      one += static_cast<char>(0xc0 | (cp >> 6));
      one += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      one += static_cast<char>(0xe0 | (cp >> 12));
      one += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      one += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      one += static_cast<char>(0xf0 | (cp >> 18));
      one += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      one += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      one += static_cast<char>(0x80 | (cp & 0x3f));
    }
    s += one;
  }
  return s;
}

// The escaper looks at 8 bytes at a time where it can: every byte that needs a look of its own,
// at every offset of a long plain run, and runs of every length around the 8-byte steps.
TEST(AppendJsonString, FindsEverySpecialByteInsideLongPlainRuns) {
  const std::vector<std::string> specials = {
      "\"",   "\\",       "\n",           std::string(1, '\0'), "\x1f",
      "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",   "\xFF",
      "\xC3"};
  for (std::size_t length = 0; length <= 40; ++length) {
    const std::string plain(length, 'a');
    ASSERT_EQ(lit(plain), nlohmann::json(plain).dump()) << length;
    for (std::size_t at = 0; at <= length; ++at) {
      for (const auto& special : specials) {
        std::string s = plain;
        s.insert(at, special);
        if (special == "\xFF" || special == "\xC3") {  // invalid UTF-8: U+FFFD in its place
          std::string expected = plain;
          expected.insert(at, "\xEF\xBF\xBD");
          ASSERT_EQ(lit(s), nlohmann::json(expected).dump()) << length << " at " << at;
        } else {
          ASSERT_EQ(lit(s), nlohmann::json(s).dump()) << length << " at " << at;
        }
      }
    }
  }
}

TEST(AppendJsonString, WritesWhatNlohmannDumpWritesForValidUtf8) {
  std::mt19937 rng(17);  // fixed seed: a failure reproduces
  for (int i = 0; i < 20000; ++i) {
    const std::string s = random_utf8(rng);
    ASSERT_EQ(lit(s), nlohmann::json(s).dump()) << "case " << i;
  }
}

TEST(JsonWriter, PlacesCommasAndWritesCompactJson) {
  std::string out = "kept:";
  JsonWriter w(out);
  w.begin_object().key("a").string("x").key("b").begin_array().boolean(true).boolean(false);
  w.begin_object().end_object().begin_array().end_array().number(-42).end_array();
  w.key("c").strings(std::vector<std::string>{"p", "q"}).key("e").begin_object();
  w.key("f").number(65532).end_object();
  const std::string_view pieces[] = {"/spec", "/a\"b", ""};
  w.key("g").string_pieces(pieces).end_object();
  EXPECT_EQ(out, R"(kept:{"a":"x","b":[true,false,{},[],-42],"c":["p","q"],"e":{"f":65532},)"
                 R"("g":"/spec/a\"b"})");
}

TEST(JsonWriter, MatchesAnOrderedDocumentsDump) {
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["name"] = "a\tb";
  doc["list"] = {"x", "y\n"};
  doc["empty"] = nlohmann::ordered_json::array();
  doc["on"] = true;
  std::string out;
  JsonWriter(out)
      .begin_object()
      .key("version")
      .number(1)
      .key("name")
      .string("a\tb")
      .key("list")
      .strings(std::vector<std::string>{"x", "y\n"})
      .key("empty")
      .begin_array()
      .end_array()
      .key("on")
      .boolean(true)
      .end_object();
  EXPECT_EQ(out, doc.dump());
}

}  // namespace
}  // namespace jk
