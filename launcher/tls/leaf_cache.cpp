#include "launcher/tls/leaf_cache.h"

namespace jk::launcher::tls {

std::shared_ptr<const Leaf> LeafCache::find(const std::string& name) {
  const std::lock_guard lock(mutex_);
  const auto it = index_.find(name);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return *it->second;
}

void LeafCache::put(std::shared_ptr<const Leaf> leaf) {
  const std::lock_guard lock(mutex_);
  const std::string name = leaf->name;
  if (const auto it = index_.find(name); it != index_.end()) {
    order_.erase(it->second);
    index_.erase(it);
  }
  order_.push_front(std::move(leaf));
  index_.emplace(name, order_.begin());
  while (order_.size() > capacity_) {
    index_.erase(order_.back()->name);
    order_.pop_back();
  }
}

std::size_t LeafCache::size() const {
  const std::lock_guard lock(mutex_);
  return order_.size();
}

}  // namespace jk::launcher::tls
