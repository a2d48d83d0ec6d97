#include "webhook/kube/reflector_metrics.h"

#include <chrono>

namespace jk::kube {

ReflectorMetrics::ReflectorMetrics(metrics::Registry& registry)
    : restarts_(registry.counter("jailkeeper_kube_watch_restarts_total",
                                 "Kubernetes API watch streams that ended and were reopened.",
                                 {"resource"})),
      relists_(registry.counter("jailkeeper_kube_relists_total",
                                "Full relists after the watch resourceVersion expired (410).",
                                {"resource"})),
      errors_(registry.counter("jailkeeper_kube_list_watch_errors_total",
                               "Kubernetes API list or watch failures (retried with backoff).",
                               {"resource"})),
      last_sync_(registry.gauge("jailkeeper_kube_last_sync_timestamp_seconds",
                                "Unix time of the last complete list.", {"resource"})) {}

ReflectorHooks ReflectorMetrics::hooks(const std::string& resource) {
  auto& restarts = restarts_.with({resource});
  auto& relists = relists_.with({resource});
  auto& errors = errors_.with({resource});
  auto& last_sync = last_sync_.with({resource});
  ReflectorHooks hooks;
  hooks.on_watch_restart = [&restarts] { restarts.inc(); };
  hooks.on_relist = [&relists] { relists.inc(); };
  hooks.on_error = [&errors](const Error&) { errors.inc(); };
  hooks.on_synced = [&last_sync] {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    last_sync.set(std::chrono::duration<double>(now).count());
  };
  return hooks;
}

}  // namespace jk::kube
