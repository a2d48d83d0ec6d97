#pragma once
// List+watch for one resource, as client-go's reflector does it: a paginated list, then a watch
// from the list's resourceVersion (with bookmarks); ADDED/MODIFIED/DELETED go to the sink,
// BOOKMARK moves the resourceVersion; 410 Gone (ERROR event or HTTP) relists; any other error
// or disconnect reconnects with exponential backoff + jitter. The sink keeps the last good view.
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "webhook/kube/backoff.h"
#include "webhook/kube/http_client.h"

namespace jk::kube {

enum class EventType { kAdded, kModified, kDeleted };

// Receives the objects; called from the reflector thread only.
class ReflectorSink {
 public:
  virtual ~ReflectorSink() = default;
  virtual void replace(const std::vector<nlohmann::json>& items) = 0;  // a complete list
  virtual void apply(EventType type, const nlohmann::json& object) = 0;
};

struct ReflectorOptions {
  std::string path;  // e.g. "/api/v1/nodes"
  std::size_t page_limit = 500;
  std::chrono::seconds watch_timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds backoff_initial{200};
  std::chrono::milliseconds backoff_max{std::chrono::seconds(30)};
};

// Metrics and status hooks; any may be empty. Called from the reflector thread.
struct ReflectorHooks {
  std::function<void()> on_watch_restart;
  std::function<void()> on_relist;
  std::function<void()> on_synced;  // after every complete list
  std::function<void(const Error&)> on_error;
};

class Reflector {
 public:
  Reflector(HttpClient& client, ReflectorSink& sink, ReflectorOptions options,
            ReflectorHooks hooks = {});
  ~Reflector();
  Reflector(const Reflector&) = delete;
  Reflector& operator=(const Reflector&) = delete;

  void start();         // runs on its own thread until stop() or destruction
  void request_stop();  // asks the thread to finish; stop() also waits for it
  void stop();

 private:
  enum class Outcome { kEnded, kGone, kError };
  struct WatchResult {
    Outcome outcome = Outcome::kEnded;
    Error error;
    std::size_t events = 0;
  };

  void run(const std::stop_token& stop);
  Result<bool> list();  // false: 410 Gone during pagination (paged_list.h)
  WatchResult watch(const std::stop_token& stop);
  bool handle_line(std::string_view line, WatchResult& result);
  void report(const Error& error);
  void wait(std::chrono::milliseconds delay, const std::stop_token& stop);

  HttpClient& client_;
  ReflectorSink& sink_;
  ReflectorOptions options_;
  ReflectorHooks hooks_;
  Backoff backoff_;
  std::string resource_version_;
  std::jthread thread_;
};

}  // namespace jk::kube
