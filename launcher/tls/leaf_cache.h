#pragma once
// A bounded, thread-safe LRU map from canonical name to issued leaf.
#include "launcher/tls/leaf.h"

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace jk::launcher::tls {

class LeafCache {
 public:
  explicit LeafCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // The cached leaf (now the most recently used), or null.
  std::shared_ptr<const Leaf> find(const std::string& name);
  // Adds or replaces the leaf for leaf->name; drops the least recently used beyond capacity.
  void put(std::shared_ptr<const Leaf> leaf);
  [[nodiscard]] std::size_t size() const;

 private:
  using Order = std::list<std::shared_ptr<const Leaf>>;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  Order order_;  // most recently used first
  std::unordered_map<std::string, Order::iterator> index_;
};

}  // namespace jk::launcher::tls
