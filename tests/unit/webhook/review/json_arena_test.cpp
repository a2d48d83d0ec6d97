// JsonArena: one parse into a reused arena; members on a skip path are parsed but not built,
// anywhere else a member of the same name is kept.
#include "webhook/review/json_arena.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace jk::review {
namespace {

std::string reparsed(JsonArena& arena, std::string_view text, const SkipList& skip) {
  auto v = arena.parse(text, skip);
  if (!v.ok()) return "error: " + v.error().message;
  return boost::json::serialize(**v);
}

SkipList skips(std::initializer_list<std::initializer_list<std::string_view>> paths) {
  SkipList list;
  for (const auto& path : paths) {
    SkipPath& p = list.paths[list.size++];
    for (const std::string_view key : path) p.keys[p.size++] = key;
  }
  return list;
}

TEST(JsonArena, SkipsOnlyTheNamedPaths) {
  JsonArena arena;
  const SkipList skip =
      skips({{"request", "oldObject"}, {"request", "object", "metadata", "managedFields"}});
  EXPECT_EQ(reparsed(arena,
                     R"({"request":{"uid":"u","oldObject":{"deep":[{"x":1}]},"object":{"metadata":
                        {"name":"p","managedFields":[{"fieldsV1":{"f:spec":{}}}],"labels":{}}}},
                        "oldObject":1,"managedFields":2})",
                     skip),
            R"({"request":{"uid":"u","object":{"metadata":{"name":"p","labels":{}}}},)"
            R"("oldObject":1,"managedFields":2})");
  // Same names at other depths or under other parents, and inside arrays: kept.
  EXPECT_EQ(
      reparsed(arena, R"({"object":{"metadata":{"managedFields":1}},"request":[{"oldObject":2}]})",
               skip),
      R"({"object":{"metadata":{"managedFields":1}},"request":[{"oldObject":2}]})");
  EXPECT_EQ(reparsed(arena, R"({"request":{"object":{"spec":{"managedFields":3}}}})", skip),
            R"({"request":{"object":{"spec":{"managedFields":3}}}})");
}

TEST(JsonArena, SkipsScalarsStringsAndEscapedKeys) {
  JsonArena arena;
  const SkipList skip = skips({{"a", "b"}});
  EXPECT_EQ(reparsed(arena, R"({"a":{"b":"a long string value \u00e9 \" x","c":1}})", skip),
            R"({"a":{"c":1}})");
  EXPECT_EQ(
      reparsed(arena, R"({"a":{"b":null,"c":[true,false,1.5,-2,18446744073709551615]}})", skip),
      R"({"a":{"c":[true,false,1.5E0,-2,18446744073709551615]}})");
  // A key written with escapes is the same key.
  EXPECT_EQ(reparsed(arena, R"({"\u0061":{"\u0062":{"x":[1,2]},"c\"d":2}})", skip),
            R"({"a":{"c\"d":2}})");
  // The object of a skipped member's parent keeps the right size when several are skipped.
  EXPECT_EQ(reparsed(arena, R"({"a":{"b":1,"b":[2],"c":3}})", skip), R"({"a":{"c":3}})");
}

TEST(JsonArena, DuplicateKeysKeepTheLastLikeTheApiServer) {
  JsonArena arena;
  EXPECT_EQ(reparsed(arena, R"({"k":1,"k":2})", {}), R"({"k":2})");
}

TEST(JsonArena, RefusesWhatIsNotOneJsonDocument) {
  JsonArena arena;
  for (const std::string& text :
       {std::string(""), std::string("{"), std::string("{} {}"), std::string("[1,]"),
        std::string("{\"a\":1,}"), std::string("/*c*/{}"), std::string("\"\xff\""),
        std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']')}) {
    auto v = arena.parse(text);
    ASSERT_FALSE(v.ok()) << text;
    EXPECT_EQ(v.error().message.rfind("not valid JSON: ", 0), 0U) << v.error().message;
  }
  const std::string deep = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(arena.parse(deep).ok());
  EXPECT_TRUE(arena.parse(" {} \n").ok());
}

TEST(JsonArena, LargeDocumentsTakeMoreThanTheBufferOnlyWhileParsed) {
  JsonArena arena(1024);
  std::string big = "[";
  for (int i = 0; i < 2000; ++i) big += "\"0123456789abcdef0123456789\",";
  big.back() = ']';
  auto v = arena.parse(big);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ((*v)->as_array().size(), 2000U);
  EXPECT_GT(arena.overflow_bytes(), 0U);
  ASSERT_TRUE(arena.parse("[1]").ok());
  EXPECT_EQ(arena.overflow_bytes(), 0U);
}

}  // namespace
}  // namespace jk::review
