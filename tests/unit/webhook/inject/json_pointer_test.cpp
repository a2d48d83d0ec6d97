#include "webhook/inject/json_pointer.h"

#include <gtest/gtest.h>

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

TEST(PatchOps, RecordsOperationsInOrder) {
  PatchOps ops;
  EXPECT_TRUE(ops.empty());
  ops.add("/a", 1);
  ops.replace("/b", "x");
  ASSERT_EQ(ops.size(), 2U);
  EXPECT_EQ(ops.ops()[0], (nlohmann::json{{"op", "add"}, {"path", "/a"}, {"value", 1}}));
  EXPECT_EQ(ops.ops()[1], (nlohmann::json{{"op", "replace"}, {"path", "/b"}, {"value", "x"}}));
}

}  // namespace
}  // namespace jk::inject
