#include "webhook/inject/json_pointer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace jk::inject {
namespace {

TEST(EscapeToken, Rfc6901) {
  EXPECT_EQ(escape_token("jailkeeper.io/status"), "jailkeeper.io~1status");
  EXPECT_EQ(escape_token("a~b/c~/"), "a~0b~1c~0~1");
  EXPECT_EQ(escape_token("~1"), "~01");  // not double-decoded: "~1" literal stays distinct
  EXPECT_EQ(escape_token(""), "");
}

TEST(EscapeToken, RoundTripsThroughAPointer) {
  const std::string key = "weird~key/with-slash";
  nlohmann::json doc = {{"metadata", {{"annotations", {{key, "x"}}}}}};
  const nlohmann::json::json_pointer ptr("/metadata/annotations/" + escape_token(key));
  EXPECT_EQ(doc.at(ptr), "x");
}

TEST(PatchOps, WritesOperationsInOrderAsJsonPatchText) {
  PatchOps ops;
  EXPECT_TRUE(ops.empty());
  EXPECT_EQ(ops.text(), "[]");
  ops.add("/a", [](JsonWriter& w) { w.number(1); });
  ops.replace("/b", "x");
  ops.add({"/spec/containers/0", "/env", "/-"}, [](JsonWriter& w) {
    w.begin_object().key("name").string("N").key("value").string("v\"q").end_object();
  });
  ASSERT_EQ(ops.size(), 3U);
  const std::string expected =
      R"([{"op":"add","path":"/a","value":1},{"op":"replace","path":"/b","value":"x"},)"
      R"({"op":"add","path":"/spec/containers/0/env/-","value":{"name":"N","value":"v\"q"}}])";
  EXPECT_EQ(ops.text(), expected);
  EXPECT_EQ(ops.take(), expected);
}

// A path is escaped as a JSON string like any other, whatever its pieces hold.
TEST(PatchOps, EscapesThePathAsAJsonString) {
  PatchOps ops;
  ops.add({"/metadata/annotations/", escape_token("a\"b/c\n")}, "v");
  const nlohmann::json doc = nlohmann::json::parse(ops.text());
  EXPECT_EQ(doc[0]["path"], "/metadata/annotations/a\"b~1c\n");
}

}  // namespace
}  // namespace jk::inject
