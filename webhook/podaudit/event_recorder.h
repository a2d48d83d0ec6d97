#pragma once
// Sends the continuous audit's Events to the API server from its own thread, so that the watch
// never waits for a POST. Rate-limited by a token bucket (burst, then events_per_second); while
// the bucket is empty events wait in a bounded queue, and only a full queue drops them (counted).
// A 409 AlreadyExists is the same finding recorded before (see pod_event.h): not an error.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "webhook/kube/http_client.h"
#include "webhook/podaudit/pod_event.h"
#include "webhook/podaudit/pod_metrics.h"

namespace jk::podaudit {

struct EventOptions {
  double events_per_second = 5;
  double burst = 50;
  std::size_t max_queued = 1000;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void record(PodEvent event) = 0;  // never blocks
};

class EventRecorder final : public EventSink {
 public:
  EventRecorder(std::unique_ptr<kube::HttpClient> client, EventOptions options,
                PodMetrics& metrics);
  ~EventRecorder() override;  // stops the sender (an event in flight is cancelled)
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  void record(PodEvent event) override;

 private:
  void run(const std::stop_token& stop);
  bool take_token(std::unique_lock<std::mutex>& lock, const std::stop_token& stop);
  void send(const PodEvent& event);

  std::unique_ptr<kube::HttpClient> client_;
  EventOptions options_;
  PodMetrics& metrics_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<PodEvent> queue_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_;
  std::jthread sender_;  // last: stops first
};

}  // namespace jk::podaudit
