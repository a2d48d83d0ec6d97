#include "webhook/kube/reflector.h"

#include <condition_variable>
#include <utility>

#include "common/log.h"
#include "webhook/kube/api_status.h"
#include "webhook/kube/paged_list.h"
#include "webhook/kube/url_query.h"
#include "webhook/kube/watch_event.h"

namespace jk::kube {
namespace {

using nlohmann::json;

void call(const std::function<void()>& hook) {
  if (hook) hook();
}

EventType event_type(WatchEventKind kind) {
  if (kind == WatchEventKind::kAdded) return EventType::kAdded;
  if (kind == WatchEventKind::kModified) return EventType::kModified;
  return EventType::kDeleted;
}

}  // namespace

Reflector::Reflector(HttpClient& client, ReflectorSink& sink, ReflectorOptions options,
                     ReflectorHooks hooks)
    : client_(client),
      sink_(sink),
      options_(std::move(options)),
      hooks_(std::move(hooks)),
      backoff_(options_.backoff_initial, options_.backoff_max) {}

Reflector::~Reflector() { stop(); }

void Reflector::start() {
  thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

void Reflector::request_stop() { thread_.request_stop(); }

void Reflector::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void Reflector::run(const std::stop_token& stop) {
  bool need_list = true;
  while (!stop.stop_requested()) {
    if (need_list) {
      auto listed = list();
      if (stop.stop_requested()) break;
      if (!listed.ok()) {
        report(listed.error());
        wait(backoff_.next(), stop);
        continue;
      }
      if (!*listed) {  // the continue token expired mid-list: start over
        call(hooks_.on_relist);
        wait(backoff_.next(), stop);
        continue;
      }
      need_list = false;
      backoff_.reset();
    }
    const WatchResult result = watch(stop);
    if (stop.stop_requested()) break;
    call(hooks_.on_watch_restart);
    if (result.events > 0) backoff_.reset();
    if (result.outcome == Outcome::kGone) {
      log::info("watch expired; relisting", {{"path", options_.path}});
      need_list = true;
      call(hooks_.on_relist);
    } else if (result.outcome == Outcome::kError) {
      report(result.error);
      wait(backoff_.next(), stop);
    } else if (result.events == 0) {
      wait(backoff_.next(), stop);  // a stream that ends at once must not become a busy loop
    }
  }
}

Result<bool> Reflector::list() {
  JK_TRY(ListResult listed, list_all(client_, {options_.path, "", options_.page_limit, 1}));
  switch (listed.outcome) {
    case ListResult::Outcome::kExpired:
      return false;
    case ListResult::Outcome::kRefused:
      return make_error("list " + options_.path + ": " + http_failure(listed.status, listed.body));
    case ListResult::Outcome::kNotAList:
      return make_error("list " + options_.path + ": not a List");
    case ListResult::Outcome::kComplete:
      break;
  }
  resource_version_ = std::move(listed.resource_version);
  sink_.replace(listed.items);
  call(hooks_.on_synced);
  return true;
}

Reflector::WatchResult Reflector::watch(const std::stop_token& stop) {
  const std::string path = options_.path + "?watch=true&allowWatchBookmarks=true" +
                           "&resourceVersion=" + query_escape(resource_version_) +
                           "&timeoutSeconds=" + std::to_string(options_.watch_timeout.count());
  WatchResult result;
  auto response = client_.watch(
      path, [&](std::string_view line) { return handle_line(line, result); }, stop);
  if (!response.ok()) return {Outcome::kError, response.error(), result.events};
  if (response->status == kHttpGone) return {Outcome::kGone, {}, result.events};
  if (response->status != kHttpOk) {
    return {Outcome::kError,
            make_error("watch " + options_.path + ": " +
                       http_failure(response->status, response->body)),
            result.events};
  }
  return result;
}

// One event line; false ends the stream (ERROR events and lines that are no event).
bool Reflector::handle_line(std::string_view line, WatchResult& result) {
  WatchEvent event = decode_watch_event(line);
  switch (event.kind) {
    case WatchEventKind::kError:
      result.outcome = event.gone ? Outcome::kGone : Outcome::kError;
      result.error = make_error("watch " + options_.path + ": ERROR event: " + event.message);
      return false;
    case WatchEventKind::kBad:
      result.outcome = Outcome::kError;
      result.error = make_error("watch " + options_.path + ": bad event: " + event.message);
      return false;
    case WatchEventKind::kBookmark:
      break;
    case WatchEventKind::kAdded:
    case WatchEventKind::kModified:
    case WatchEventKind::kDeleted:
      sink_.apply(event_type(event.kind), event.object);
      ++result.events;
      break;
  }
  if (!event.resource_version.empty()) resource_version_ = event.resource_version;
  return true;
}

void Reflector::report(const Error& error) {
  log::warn("list/watch failed", {{"path", options_.path}, {"error", error.message}});
  if (hooks_.on_error) hooks_.on_error(error);
}

void Reflector::wait(std::chrono::milliseconds delay, const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_for(lock, stop, delay, [] { return false; });
}

}  // namespace jk::kube
