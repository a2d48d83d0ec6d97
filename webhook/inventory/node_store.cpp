#include "webhook/inventory/node_store.h"

#include <algorithm>

#include "common/log.h"
#include "webhook/inventory/node_list.h"
#include "webhook/kube/api_status.h"

namespace jk::inventory {
namespace {

constexpr int kMaxDutyInverse = 10;

}  // namespace

NodeStore::NodeStore(Publish publish, std::chrono::milliseconds batch_interval)
    : publish_(std::move(publish)), interval_(batch_interval) {}

NodeStore::~NodeStore() {
  publisher_.request_stop();
  changed_.notify_all();
}

void NodeStore::replace(const std::vector<nlohmann::json>& items) {
  {
    std::lock_guard lock(mutex_);
    nodes_.clear();
    for (const auto& item : items) upsert(item);
    dirty_ = true;
  }
  flush();
}

void NodeStore::apply(kube::EventType type, const nlohmann::json& object) {
  std::lock_guard lock(mutex_);
  const bool changed = type == kube::EventType::kDeleted ? erase(object) : upsert(object);
  if (!changed) return;
  dirty_ = true;
  changed_.notify_one();
}

bool NodeStore::upsert(const nlohmann::json& object) {
  auto node = decode_node(object);
  if (!node.ok()) {
    log::warn("node skipped", {{"error", node.error().message}});
    return false;
  }
  const auto it = nodes_.find(node->name);
  if (it != nodes_.end() && it->second == *node) return false;
  nodes_.insert_or_assign(node->name, std::move(node).value());
  return true;
}

bool NodeStore::erase(const nlohmann::json& object) {
  return nodes_.erase(kube::string_at(object, "metadata", "name")) > 0;
}

bool NodeStore::flush() {
  std::lock_guard publishing(publish_mutex_);
  std::vector<policy::Node> all;
  {
    std::lock_guard lock(mutex_);
    if (!dirty_) return false;
    dirty_ = false;
    all.reserve(nodes_.size());
    for (const auto& [name, node] : nodes_) all.push_back(node);
  }
  publish_(std::move(all));
  return true;
}

std::size_t NodeStore::size() const {
  std::lock_guard lock(mutex_);
  return nodes_.size();
}

void NodeStore::start_publisher() {
  publisher_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

void NodeStore::run(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      if (!changed_.wait(lock, stop, [this] { return dirty_; })) return;
    }
    const auto started = std::chrono::steady_clock::now();
    flush();
    // Rate limit: events arriving now are published together after the interval, stretched so
    // that rebuilding stays under 1/kMaxDutyInverse of a core on very large clusters.
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, stop, std::max(interval_, took * kMaxDutyInverse),
                      [] { return false; });
  }
}

}  // namespace jk::inventory
