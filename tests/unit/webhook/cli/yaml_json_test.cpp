// parse_documents / emit_yaml: YAML 1.2 core typing as kubectl users expect it, quoting that
// survives a round trip, document order, JSON input, and errors that say where.
#include "webhook/cli/yaml_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jk::cli {
namespace {

using nlohmann::ordered_json;
using ::testing::HasSubstr;

ordered_json parse_one(const std::string& text) {
  auto docs = parse_documents(text);
  EXPECT_TRUE(docs.ok()) << text << " -> " << docs.error().message;
  if (!docs.ok() || docs->size() != 1) return nullptr;
  return docs->front();
}

std::string parse_error(const std::string& text) {
  auto docs = parse_documents(text);
  EXPECT_FALSE(docs.ok()) << text;
  return docs.ok() ? "" : docs.error().message;
}

// The JSON type a reader sees; int and unsigned are both "int".
std::string type_of(const ordered_json& v) {
  if (v.is_number_integer()) return "int";
  if (v.is_number_float()) return "float";
  return v.type_name();
}

struct TypingCase {
  std::string yaml_value;
  ordered_json expected;
};

struct ErrorCase {
  std::string input;
  std::string message;
};

TEST(ParseDocuments, TypesScalarsByTheYaml12CoreSchema) {
  const std::vector<TypingCase> cases = {
      {"true", true},
      {"True", true},
      {"FALSE", false},
      {"yes", "yes"},  // YAML 1.1 bools are strings under 1.2
      {"on", "on"},
      {"No", "No"},
      {"12", 12},
      {"-3", -3},
      {"+7", 7},
      {"0755", 755},  // unquoted: a decimal int under 1.2 (quote file modes!)
      {"0o17", 15},
      {"0x1F", 31},
      {"9223372036854775807", INT64_MAX},
      {"18446744073709551615", UINT64_MAX},
      {"1.5", 1.5},
      {"1.20", 1.2},
      {"1e3", 1000.0},
      {".5", 0.5},
      {"-2.5E-1", -0.25},
      {"null", nullptr},
      {"Null", nullptr},
      {"~", nullptr},
      {"", nullptr},
      {"'0755'", "0755"},
      {"\"1.20\"", "1.20"},
      {"'true'", "true"},
      {"\"null\"", "null"},
      {"''", ""},
      {"!!str 5", "5"},
      {"v1", "v1"},
      {"2024-01-02", "2024-01-02"},  // no timestamp type in the core schema
      {"1.2.3", "1.2.3"},
      {"0x", "0x"},
      {"12abc", "12abc"},
      {"[1, a, ~]", ordered_json::array({1, "a", nullptr})},
  };
  for (const auto& c : cases) {
    const ordered_json doc = parse_one("value: " + c.yaml_value + "\n");
    ASSERT_TRUE(doc.is_object()) << c.yaml_value;
    EXPECT_EQ(doc["value"], c.expected) << c.yaml_value;
    EXPECT_EQ(type_of(doc["value"]), type_of(c.expected)) << c.yaml_value;
  }
}

TEST(ParseDocuments, RejectsNumbersJsonCannotHold) {
  EXPECT_THAT(parse_error("a: .inf\n"), HasSubstr("document 1, line 1, column 4"));
  EXPECT_THAT(parse_error("a: .NaN\n"), HasSubstr("cannot be represented in JSON"));
  EXPECT_THAT(parse_error("a: 1e999\n"), HasSubstr("1e999"));
}

TEST(ParseDocuments, KeepsDocumentOrderAndSkipsEmptyDocuments) {
  auto docs = parse_documents(
      "---\nkind: A\n---\n---\n# only a comment\n--- !x ~\n---   # trailing comment\nkind: "
      "B\n...\n---\n"
      "kind: C\n");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  ASSERT_EQ(docs->size(), 3U);
  EXPECT_EQ((*docs)[0]["kind"], "A");
  EXPECT_EQ((*docs)[1]["kind"], "B");
  EXPECT_EQ((*docs)[2]["kind"], "C");
}

TEST(ParseDocuments, SplitsOnEveryDocumentMarker) {
  auto docs = parse_documents(
      "%YAML 1.2\n---\nkind: A\n...\nkind: B\n--- {kind: C}\n--- |\n  text\n---\nkind: E\n");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  ASSERT_EQ(docs->size(), 5U);
  EXPECT_EQ((*docs)[2]["kind"], "C");
  EXPECT_EQ((*docs)[3], "text\n");
  EXPECT_EQ((*docs)[4]["kind"], "E");
  EXPECT_THAT(parse_error("# licence header\n---\nkind: [\n"), HasSubstr("document 1, line 4"));
}

// yaml-cpp 0.7's LoadAll never returns on these (jbeder/yaml-cpp#1040); YAML::Load alone
// would silently drop what follows the first node.
TEST(ParseDocuments, RejectsContentAfterTheDocumentInsteadOfHanging) {
  const std::vector<ErrorCase> cases = {
      {"\"\",", "document 1, line 1, column 3: unexpected content after the end"},
      {",", "document 1"},
      {"kind: A\n---\n\"\",\n---\nkind: B\n", "document 2, line 3"},
      {"{a: 1} {b: 2}", "document 1"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(parse_error(c.input), HasSubstr(c.message)) << c.input;
  }
}

TEST(ParseDocuments, KeepsKeyOrder) {
  const ordered_json doc = parse_one("zeta: 1\nalpha: 2\nmid: {b: 1, a: 2}\n");
  EXPECT_EQ(doc.dump(), R"({"zeta":1,"alpha":2,"mid":{"b":1,"a":2}})");
}

TEST(ParseDocuments, ReadsJsonWithExactNumberTypes) {
  const ordered_json doc = parse_one(R"(  {"b": 1.0, "a": 1, "big": 18446744073709551615})");
  EXPECT_EQ(doc.dump(), R"({"b":1.0,"a":1,"big":18446744073709551615})");
  EXPECT_TRUE(doc["b"].is_number_float());
}

TEST(ParseDocuments, ReadsAStreamOfJsonValues) {
  auto docs = parse_documents("{\"kind\": \"A\"}\n{\"kind\": \"B\"}null{\"kind\": \"C\"}\n");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  ASSERT_EQ(docs->size(), 3U);
  EXPECT_EQ((*docs)[2]["kind"], "C");
}

TEST(ParseDocuments, FallsBackToYamlForFlowStyleThatIsNotJson) {
  EXPECT_EQ(parse_one("{kind: Pod, spec: {replicas: 2}}").dump(),
            R"({"kind":"Pod","spec":{"replicas":2}})");
  auto docs = parse_documents("{\"kind\": \"A\"}\n---\n{\"kind\": \"B\"}\n");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  EXPECT_EQ(docs->size(), 2U);
}

TEST(ParseDocuments, ReadsWindowsLineEndings) {
  auto docs = parse_documents("kind: Pod\r\nmetadata:\r\n  name: x\r\n---\r\nkind: B\r\n");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  ASSERT_EQ(docs->size(), 2U);
  EXPECT_EQ((*docs)[0].dump(), R"({"kind":"Pod","metadata":{"name":"x"}})");
}

TEST(ParseDocuments, SkipsAByteOrderMark) {
  EXPECT_EQ(parse_one("\xEF\xBB\xBFkind: Pod\n")["kind"], "Pod");
}

TEST(ParseDocuments, ErrorsNameDocumentLineAndColumn) {
  const std::vector<ErrorCase> cases = {
      {"a: [1,\n", "document 1, line 2, column 1"},
      {"kind: A\n---\nkind: B\nspec: [\n", "document 2, line 5"},
      {"a: 1\na: 2\n", "document 1, line 2, column 1: duplicate key \"a\""},
      {"? [a]\n: 1\n", "mapping key is not a scalar"},
      {"{\"a\": [}", "document 1, line 1, column 8: invalid JSON"},
      {"{\"a\": 1}\n{\"b\": \n", "document 2, line 3"},
      {"a: \"\xff\"\n", "not valid UTF-8"},
      {"[1e99999]", "document 1: invalid JSON: [json.exception.out_of_range.406]"},
      {"a: \"\xEF\xBF\xBF\"\n", "document 1: a string holds a Unicode noncharacter"},
      {"{\"a\": \"\\uFFFE\"}", "document 1: a string holds a Unicode noncharacter"},
      // U+3FFFF (yaml_fuzz found it: UTF-32LE input that yaml-cpp decoded to it)
      {"a: \"\xF0\xBF\xBF\xBF\"\n", "document 1: a string holds a Unicode noncharacter"},
      {"{\"a\": \"\\uDBFF\\uDFFE\"}", "document 1: a string holds a Unicode noncharacter"},
      // U+FDDB (yaml_fuzz again: UTF-16BE input)
      {"a: \"\xEF\xB7\x9B\"\n", "document 1: a string holds a Unicode noncharacter"},
      {"{\"a\": \"\\uFDD0\"}", "document 1: a string holds a Unicode noncharacter"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(parse_error(c.input), HasSubstr(c.message)) << c.input;
  }
}

TEST(ParseDocuments, RefusesHostileNestingAndAliasBombs) {
  EXPECT_FALSE(parse_documents(std::string(500, '[') + std::string(500, ']')).ok());
  EXPECT_THAT(parse_error("a: " + std::string(200, '[') + std::string(200, ']') + "\n"),
              HasSubstr("nesting deeper than the limit"));
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += (j > 0 ? ", " : "") + prev;
    bomb += "]\n";
  }
  EXPECT_THAT(parse_error(bomb), HasSubstr("too many nodes"));
}

// Strings a careless emitter would let a reader retype or misparse.
// clang-format off
const std::vector<std::string> kTrickyStrings = {
    "true", "False", "yes", "on", "OFF", "y", "n", "123", "0755", "-1", "+1", "1.5", "1.20",
    "1e3", ".5", "0x1F", "0o17", "1_000", "1:20", "2024-01-02", "2024-01-02T10:00:00Z", "null",
    "Null", "~", "", " lead", "trail ", "a: b", "a:b", "#c", "x #y", "- x", "-", "?", ":", "? x",
    "[a]", "{a}", "*a", "&a", "!a", "|", ">", "%a", "@a", "`a", "'q", "\"q", "a'b\"c",
    "multi\nline\n", "no final newline\nend", "two\n\n", "\n", "\tleading tab", "a\tb",
    ".inf", "-.Inf", ".nan", "<<", "=", "---", "...", "--- x", "é ünï 漢字", "a\x01" "b", "a\rb",
    "line with trailing space \nnext\n", "  indented\nblock\n", "x\n  \ny\n", "\\", "a\\nb",
    R"({"json":["in",1,"annotation"]})", "it's \"quoted\"\n",
    "p\r\r", "a\r", "\x7f", std::string(1100, 'k'), std::string(300, '\x01'), std::string(999, '"')};
// clang-format on

TEST(EmitYaml, TrickyStringsRoundTripAsValuesAndKeys) {
  for (const std::string& s : kTrickyStrings) {
    const ordered_json doc = {{"value", s}, {s.empty() ? "empty" : s, "key"}, {"list", {s}}};
    const std::string yaml = emit_yaml(doc);
    auto back = parse_documents(yaml);
    ASSERT_TRUE(back.ok()) << "[" << s << "]\n" << yaml << back.error().message;
    ASSERT_EQ(back->size(), 1U) << yaml;
    EXPECT_EQ(back->front(), doc) << "[" << s << "]\n" << yaml;
  }
}

TEST(EmitYaml, QuotesStringsThatWouldBeRetyped) {
  const std::string yaml = emit_yaml({{"a", "true"},
                                      {"b", "0755"},
                                      {"c", "on"},
                                      {"d", ""},
                                      {"e", "null"},
                                      {"f", "1.20"},
                                      {"g", "plain"}});
  EXPECT_EQ(yaml,
            "a: \"true\"\nb: \"0755\"\nc: \"on\"\nd: \"\"\ne: \"null\"\nf: \"1.20\"\ng: plain\n");
}

TEST(EmitYaml, KeepsTypesOfNonStrings) {
  const ordered_json doc = {{"int", 5},
                            {"neg", -2},
                            {"float", 1.0},
                            {"big", 1e20},
                            {"small", 0.25},
                            {"bool", true},
                            {"null", nullptr},
                            {"empty_map", ordered_json::object()},
                            {"empty_list", ordered_json::array()},
                            {"nested", {{{"a", {1, {2, "x"}}}}}}};
  const std::string yaml = emit_yaml(doc);
  EXPECT_THAT(yaml, HasSubstr("float: 1.0\n"));
  EXPECT_THAT(yaml, HasSubstr("empty_map: {}\n"));
  EXPECT_THAT(yaml, HasSubstr("empty_list: []\n"));
  auto back = parse_documents(yaml);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->front().dump(), doc.dump()) << yaml;
}

TEST(EmitYaml, SingleQuotesJsonInAnnotations) {
  EXPECT_EQ(emit_yaml({{"status", R"({"a":"b\\c","d":'e'})"}}),
            R"(status: '{"a":"b\\c","d":''e''}')"
            "\n");
}

TEST(EmitYaml, WritesScriptsAsLiteralBlocks) {
  const std::string yaml = emit_yaml({{"script", "set -e\necho hi\n"}});
  EXPECT_EQ(yaml, "script: |\n  set -e\n  echo hi\n");
}

TEST(EmitYaml, KeepsKeyOrderAndBlockStyle) {
  const ordered_json doc = ordered_json::parse(
      R"({"kind":"Pod","apiVersion":"v1","spec":{"containers":[{"name":"a","args":["x"]}]}})");
  EXPECT_EQ(emit_yaml(doc),
            "kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - name: a\n      args:\n"
            "        - x\n");
}

TEST(EmitYamlStream, SeparatesDocumentsInOrder) {
  EXPECT_EQ(emit_yaml_stream({{{"kind", "A"}}, {{"kind", "B"}}}), "kind: A\n---\nkind: B\n");
  EXPECT_EQ(emit_yaml_stream({}), "");
}

TEST(PlainScalarIsAmbiguous, FlagsEveryNonStringReading) {
  for (const char* s : {"true", "1", "1.0", "null", "", "yes", "0o7", "2024-01-02"}) {
    EXPECT_TRUE(plain_scalar_is_ambiguous(s)) << s;
  }
  for (const char* s : {"nginx", "v1.2", "NET_ADMIN", "Unconfined", "a-b"}) {
    EXPECT_FALSE(plain_scalar_is_ambiguous(s)) << s;
  }
}

}  // namespace
}  // namespace jk::cli
