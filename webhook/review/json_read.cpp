#include "webhook/review/json_read.h"

#include <algorithm>
#include <iterator>

namespace jk::review {

const boost::json::value& json_at(const boost::json::value& v, std::string_view key) {
  static const boost::json::value kNull;
  const boost::json::object* object = v.if_object();
  if (object == nullptr) return kNull;
  const auto it = object->find(boost::json::string_view(key.data(), key.size()));
  return it == object->end() ? kNull : it->value();
}

std::string_view string_or_empty(const boost::json::value& v) {
  const boost::json::string* s = v.if_string();
  return s == nullptr ? std::string_view() : text_of(*s);
}

void sort_keep_last(std::vector<std::pair<std::string_view, std::string_view>>& pairs) {
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  // Equal keys are adjacent now, in document order: keep the last of each run.
  auto keep = pairs.begin();
  for (auto it = pairs.begin(); it != pairs.end(); ++it) {
    if (std::next(it) != pairs.end() && std::next(it)->first == it->first) continue;
    *keep++ = *it;
  }
  pairs.erase(keep, pairs.end());
}

std::string JsonPath::str() const {
  std::string out;
  append_to(out);
  return out;
}

void JsonPath::append_to(std::string& out) const {
  if (parent_ != nullptr) parent_->append_to(out);
  if (index_ != kNoIndex) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
    return;
  }
  if (parent_ != nullptr) out += '.';
  out.append(text_);
}

}  // namespace jk::review
