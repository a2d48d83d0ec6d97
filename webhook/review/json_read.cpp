#include "webhook/review/json_read.h"

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
