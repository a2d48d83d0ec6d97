// Watch stream lines from the API server: decoded with every field type-checked. An ERROR
// event whose code is not a number (or any other type confusion) is an event with a reason,
// never an exception in the reflector thread; the node and namespace decoders behind the sinks
// take every wrong type too.
#include "webhook/kube/watch_event.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/log.h"
#include "tests/support/type_confusion.h"
#include "webhook/inventory/namespace_list.h"
#include "webhook/inventory/node_list.h"
#include "webhook/inventory/node_store.h"

namespace jk::kube {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

TEST(WatchEvent, DecodesEachEventType) {
  struct Case {
    const char* line;
    WatchEventKind kind;
    const char* resource_version;
  };
  for (const Case& c : {
           Case{R"({"type":"ADDED","object":{"metadata":{"resourceVersion":"7"}}})",
                WatchEventKind::kAdded, "7"},
           Case{R"({"type":"MODIFIED","object":{}})", WatchEventKind::kModified, ""},
           Case{R"({"type":"DELETED","object":{"metadata":{"resourceVersion":8}}})",
                WatchEventKind::kDeleted, ""},
           Case{R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}})",
                WatchEventKind::kBookmark, "9"},
           Case{R"({"type":"BOOKMARK","object":5})", WatchEventKind::kBookmark, ""},
       }) {
    const WatchEvent e = decode_watch_event(c.line);
    EXPECT_EQ(e.kind, c.kind) << c.line;
    EXPECT_EQ(e.resource_version, c.resource_version) << c.line;
  }
}

TEST(WatchEvent, ErrorIsGoneOnlyForAnIntegerCode410OrReasonExpiredOrGone) {
  struct Case {
    const char* status;
    bool gone;
  };
  for (const Case& c :
       {Case{R"({"code":410,"message":"too old"})", true}, Case{R"({"reason":"Expired"})", true},
        Case{R"({"reason":"Gone"})", true}, Case{R"({"code":"410","message":"too old"})", false},
        Case{R"({"code":410.5})", false}, Case{R"({"code":[410]})", false},
        Case{R"({"code":500})", false}, Case{R"({"reason":5})", false}, Case{"5", false},
        Case{"null", false}}) {
    const std::string line = std::string(R"({"type":"ERROR","object":)") + c.status + "}";
    WatchEvent e;
    ASSERT_NO_THROW(e = decode_watch_event(line)) << line;
    EXPECT_EQ(e.kind, WatchEventKind::kError) << line;
    EXPECT_EQ(e.gone, c.gone) << line;
  }
  EXPECT_EQ(decode_watch_event(R"({"type":"ERROR","object":{"message":"boom"}})").message, "boom");
}

TEST(WatchEvent, LinesThatAreNoEventSayWhy) {
  struct Case {
    const char* line;
    const char* reason;
  };
  for (const Case& c : {Case{"not json", "not JSON"}, Case{"[1]", "not an event object"},
                        Case{R"({"type":5})", "unknown event type"},
                        Case{R"({"type":"ADDED"})", "event without an object"},
                        Case{R"({"type":"ADDED","object":"x"})", "event without an object"}}) {
    const WatchEvent e = decode_watch_event(c.line);
    EXPECT_EQ(e.kind, WatchEventKind::kBad) << c.line;
    EXPECT_EQ(e.message.rfind(c.reason, 0), 0U) << c.line << ": " << e.message;
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every value of real Node and Namespace events (and of ERROR and BOOKMARK events), replaced
// by every other type, through the decoder and the sinks' decoders (the NodeStore included).
TEST(WatchEvent, EveryFieldOfRealEventsWithEveryWrongType) {
  log::set_sink([](std::string_view) {});
  std::vector<ordered_json> events;
  for (const auto& file :
       fs::directory_iterator(fs::path(JK_SOURCE_DIR) / "tests/fixtures/nodes")) {
    if (file.path().extension() != ".json") continue;
    events.push_back({{"type", "MODIFIED"}, {"object", ordered_json::parse(read_file(file))}});
  }
  events.push_back(ordered_json::parse(
      R"({"type":"ADDED","object":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"agents",
      "resourceVersion":"12","labels":{"jailkeeper.io/inject":"enabled",
      "pod-security.kubernetes.io/enforce":"baseline"}}}})"));
  events.push_back(ordered_json::parse(
      R"json({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure",
      "message":"too old resource version: 1 (2)","reason":"Expired","code":410}})json"));
  events.push_back(ordered_json::parse(
      R"({"type":"BOOKMARK","object":{"kind":"Node","metadata":{"resourceVersion":"13"}}})"));
  inventory::NodeStore store([](const std::vector<policy::Node>&) {}, std::chrono::milliseconds(1));
  std::size_t visited = 0;
  for (const ordered_json& event : events) {
    visited += jk::testing::for_each_confusion(event, [&](const ordered_json& mutated,
                                                          const std::string& where) {
      ASSERT_NO_THROW({
        const WatchEvent e = decode_watch_event(mutated.dump());
        if (e.kind == WatchEventKind::kAdded || e.kind == WatchEventKind::kModified ||
            e.kind == WatchEventKind::kDeleted) {
          ASSERT_TRUE(e.object.is_object()) << where;
          (void)inventory::decode_node(e.object);
          (void)inventory::decode_namespace(e.object);
          store.apply(e.kind == WatchEventKind::kDeleted ? EventType::kDeleted : EventType::kAdded,
                      e.object);
        }
      }) << where;
    });
  }
  store.flush();
  log::set_sink(nullptr);
  EXPECT_GT(visited * jk::testing::confusion_stride(), 3000U);
}

}  // namespace
}  // namespace jk::kube
