#include "webhook/nodes/live_source.h"

#include <utility>

#include "webhook/kube/object_store.h"
#include "webhook/nodes/node_list.h"

namespace jk::nodes {

Result<std::unique_ptr<LiveNodeSource>> LiveNodeSource::start(kube::ClientConfig config,
                                                              LiveNodeOptions options) {
  auto client = kube::HttpClient::create(std::move(config), options.http);
  if (!client.ok()) return client.error().wrap("node inventory");
  std::unique_ptr<LiveNodeSource> source(
      new LiveNodeSource(std::move(client).value(), std::move(options)));
  source->reflector_->start();
  return source;
}

LiveNodeSource::LiveNodeSource(std::unique_ptr<kube::HttpClient> client, LiveNodeOptions options)
    : client_(std::move(client)),
      server_(client_->config().server),
      index_(std::make_shared<const policy::NodeIndex>(std::vector<policy::Node>{})) {
  store_ = std::make_unique<kube::ObjectStore<policy::Node>>(
      [](const nlohmann::json& j) { return decode_node(j); },
      [this](std::vector<policy::Node> nodes) { publish(std::move(nodes)); });
  reflector_ = std::make_unique<kube::Reflector>(*client_, *store_, std::move(options.reflector),
                                                 wrap_hooks(std::move(options.hooks)));
}

LiveNodeSource::~LiveNodeSource() {
  reflector_->request_stop();
  client_->cancel();  // a list or connect in flight ends now, not at its timeout
  reflector_->stop();
}

kube::ReflectorHooks LiveNodeSource::wrap_hooks(kube::ReflectorHooks hooks) {
  auto on_synced = std::move(hooks.on_synced);
  hooks.on_synced = [this, on_synced] {
    {
      std::lock_guard lock(mutex_);
      last_error_.clear();
    }
    ready_ = true;
    if (on_synced) on_synced();
  };
  auto on_error = std::move(hooks.on_error);
  hooks.on_error = [this, on_error](const Error& error) {
    {
      std::lock_guard lock(mutex_);
      last_error_ = error.message;
    }
    if (on_error) on_error(error);
  };
  return hooks;
}

void LiveNodeSource::publish(std::vector<policy::Node> nodes) {
  auto index = std::make_shared<const policy::NodeIndex>(std::move(nodes));
  std::lock_guard lock(mutex_);
  index_ = std::move(index);
}

std::shared_ptr<const policy::NodeIndex> LiveNodeSource::snapshot() const {
  std::lock_guard lock(mutex_);
  return index_;
}

std::string LiveNodeSource::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

std::string LiveNodeSource::describe() const {
  const auto index = snapshot();
  std::string text = "api " + server_ + " (" + std::to_string(index->size()) + " nodes" +
                     (ready() ? "" : ", not ready");
  const std::string error = last_error();
  if (!error.empty()) text += ", last error: " + error;
  return text + ")";
}

}  // namespace jk::nodes
