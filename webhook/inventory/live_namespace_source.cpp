#include "webhook/inventory/live_namespace_source.h"

#include <utility>

#include "webhook/inventory/namespace_list.h"
#include "webhook/kube/object_store.h"

namespace jk::inventory {

Result<std::unique_ptr<LiveNamespaceSource>> LiveNamespaceSource::start(
    kube::ClientConfig config, LiveNamespaceOptions options) {
  std::unique_ptr<LiveNamespaceSource> source(
      new LiveNamespaceSource(std::move(options.on_published)));
  auto watch = ApiWatch::start(std::move(config), options.http, *source->store_,
                               std::move(options.reflector), std::move(options.hooks));
  if (!watch.ok()) return watch.error().wrap("namespace inventory");
  source->watch_ = std::move(watch).value();
  return source;
}

LiveNamespaceSource::LiveNamespaceSource(std::function<void(std::size_t)> on_published)
    : on_published_(std::move(on_published)),
      index_(std::make_shared<const policy::NamespaceIndex>(std::vector<policy::Namespace>{})) {
  store_ = std::make_unique<kube::ObjectStore<policy::Namespace>>(
      [](const nlohmann::json& j) { return decode_namespace(j); },
      [this](std::vector<policy::Namespace> namespaces) { publish(std::move(namespaces)); });
}

void LiveNamespaceSource::publish(std::vector<policy::Namespace> namespaces) {
  auto index = std::make_shared<const policy::NamespaceIndex>(std::move(namespaces));
  const std::size_t size = index->size();
  {
    std::lock_guard lock(mutex_);
    index_ = std::move(index);
  }
  if (on_published_) on_published_(size);
}

std::shared_ptr<const policy::NamespaceIndex> LiveNamespaceSource::snapshot() const {
  std::lock_guard lock(mutex_);
  return index_;
}

std::string LiveNamespaceSource::describe() const {
  std::string text = "api " + watch_->server() + " (" + std::to_string(snapshot()->size()) +
                     " namespaces" + (ready() ? "" : ", not ready");
  const std::string error = last_error();
  if (!error.empty()) text += ", last error: " + error;
  return text + ")";
}

}  // namespace jk::inventory
