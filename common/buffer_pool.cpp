#include "common/buffer_pool.h"

#include <utility>
#include <vector>

namespace jk {
namespace {

std::vector<std::string>& kept() {
  thread_local std::vector<std::string> strings = [] {
    std::vector<std::string> v;
    v.reserve(kKeptBuffers);  // give_buffer never grows it
    return v;
  }();
  return strings;
}

}  // namespace

std::string take_buffer() {
  auto& strings = kept();
  if (strings.empty()) return {};
  std::string buffer = std::move(strings.back());
  strings.pop_back();
  return buffer;
}

void give_buffer(std::string&& buffer) {
  std::string owned = std::move(buffer);  // the caller's string is left empty either way
  auto& strings = kept();
  if (owned.capacity() <= std::string().capacity() || owned.capacity() > kKeptBufferBytes ||
      strings.size() >= kKeptBuffers) {
    return;  // nothing worth keeping (the inline buffer only), too large, or enough kept
  }
  owned.clear();
  strings.push_back(std::move(owned));
}

std::size_t kept_buffers() { return kept().size(); }

}  // namespace jk
