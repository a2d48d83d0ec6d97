#include "webhook/podaudit/event_recorder.h"

#include <algorithm>

#include "common/log.h"
#include "webhook/kube/api_status.h"

namespace jk::podaudit {
namespace {
constexpr unsigned kCreated = 201;
constexpr unsigned kConflict = 409;
}  // namespace

EventRecorder::EventRecorder(std::unique_ptr<kube::HttpClient> client, EventOptions options,
                             PodMetrics& metrics)
    : client_(std::move(client)),
      options_(options),
      metrics_(metrics),
      tokens_(options.burst),
      refilled_(std::chrono::steady_clock::now()),
      sender_([this](const std::stop_token& stop) { run(stop); }) {}

EventRecorder::~EventRecorder() {
  sender_.request_stop();
  client_->cancel();
}

void EventRecorder::record(PodEvent event) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queued) {
      metrics_.events("dropped").inc();
      log::warn("pod audit event dropped: queue full", {{"event", event.name}});
      return;
    }
    queue_.push_back(std::move(event));
  }
  wake_.notify_one();
}

// Waits for a token (refilled at events_per_second up to burst); false when stopping.
bool EventRecorder::take_token(std::unique_lock<std::mutex>& lock, const std::stop_token& stop) {
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - refilled_).count();
    tokens_ = std::min(options_.burst, tokens_ + elapsed * options_.events_per_second);
    refilled_ = now;
    if (tokens_ >= 1) {
      tokens_ -= 1;
      return true;
    }
    const auto wait = std::chrono::duration<double>((1 - tokens_) / options_.events_per_second);
    wake_.wait_for(
        lock, stop,
        std::chrono::duration_cast<std::chrono::milliseconds>(wait) + std::chrono::milliseconds(1),
        [] { return false; });
    if (stop.stop_requested()) return false;
  }
}

void EventRecorder::run(const std::stop_token& stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    if (!wake_.wait(lock, stop, [this] { return !queue_.empty(); })) return;
    if (!take_token(lock, stop)) return;
    PodEvent event = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    send(event);
    lock.lock();
  }
}

void EventRecorder::send(const PodEvent& event) {
  const std::string path = "/api/v1/namespaces/" + event.namespace_name + "/events";
  auto answer = client_->request({"POST", path, event.body, "application/json"});
  if (answer.ok() && answer->status == kCreated) {
    metrics_.events("created").inc();
    return;
  }
  if (answer.ok() && answer->status == kConflict) {  // recorded before (a peer, or before restart)
    metrics_.events("duplicate").inc();
    return;
  }
  metrics_.events("failed").inc();
  const std::string why =
      answer.ok() ? kube::http_failure(answer->status, answer->body) : answer.error().message;
  log::warn("pod audit event not recorded", {{"event", event.name}, {"error", why}});
}

}  // namespace jk::podaudit
