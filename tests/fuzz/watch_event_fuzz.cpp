// Fuzzes what a watch stream from the API server goes through: arbitrary bytes split into lines,
// each decoded as a watch event, and every ADDED/MODIFIED/DELETED object through the node and
// namespace decoders and the NodeStore the live inventory uses. Must never crash or throw.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/log.h"
#include "webhook/inventory/namespace_list.h"
#include "webhook/inventory/node_list.h"
#include "webhook/inventory/node_store.h"
#include "webhook/kube/line_splitter.h"
#include "webhook/kube/watch_event.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    jk::log::set_sink([](std::string_view) {});
    return true;
  }();
  (void)quiet;
  jk::inventory::NodeStore store([](const std::vector<jk::policy::Node>&) {},
                                 std::chrono::milliseconds(1));
  jk::kube::LineSplitter lines;
  lines.feed(
      std::string_view(reinterpret_cast<const char*>(data), size), [&](std::string_view line) {
        const jk::kube::WatchEvent e = jk::kube::decode_watch_event(line);
        using Kind = jk::kube::WatchEventKind;
        if (e.kind == Kind::kAdded || e.kind == Kind::kModified || e.kind == Kind::kDeleted) {
          if (!e.object.is_object()) std::abort();
          (void)jk::inventory::decode_namespace(e.object);
          store.apply(e.kind == Kind::kDeleted ? jk::kube::EventType::kDeleted
                                               : jk::kube::EventType::kModified,
                      e.object);
        }
        return e.kind != Kind::kError && e.kind != Kind::kBad;
      });
  store.flush();
  return 0;
}
