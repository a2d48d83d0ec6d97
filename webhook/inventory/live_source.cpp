#include "webhook/inventory/live_source.h"

#include <utility>

namespace jk::inventory {

Result<std::unique_ptr<LiveNodeSource>> LiveNodeSource::start(kube::ClientConfig config,
                                                              LiveNodeOptions options) {
  std::unique_ptr<LiveNodeSource> source(new LiveNodeSource(options));
  auto watch = ApiWatch::start(std::move(config), options.http, source->store_,
                               std::move(options.reflector), std::move(options.hooks));
  if (!watch.ok()) return watch.error().wrap("node inventory");
  source->watch_ = std::move(watch).value();
  return source;
}

LiveNodeSource::LiveNodeSource(const LiveNodeOptions& options)
    : on_published_(options.on_published),
      index_(std::make_shared<const policy::NodeIndex>(std::vector<policy::Node>{})),
      store_([this](std::vector<policy::Node> nodes) { publish(std::move(nodes)); },
             options.publish_interval) {
  store_.start_publisher();
}

void LiveNodeSource::publish(std::vector<policy::Node> nodes) {
  auto index = std::make_shared<const policy::NodeIndex>(std::move(nodes));
  const std::size_t size = index->size();
  {
    std::lock_guard lock(mutex_);
    index_ = std::move(index);
  }
  if (on_published_) on_published_(size);
}

std::shared_ptr<const policy::NodeIndex> LiveNodeSource::snapshot() const {
  std::lock_guard lock(mutex_);
  return index_;
}

std::string LiveNodeSource::describe() const {
  std::string text = "api " + watch_->server() + " (" + std::to_string(snapshot()->size()) +
                     " nodes" + (ready() ? "" : ", not ready");
  const std::string error = last_error();
  if (!error.empty()) text += ", last error: " + error;
  return text + ")";
}

}  // namespace jk::inventory
