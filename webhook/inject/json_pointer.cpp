#include "webhook/inject/json_pointer.h"

#include "common/buffer_pool.h"

namespace jk::inject {

std::string escape_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

PatchOps::PatchOps() : text_(take_buffer()) { text_ += '['; }

JsonWriter PatchOps::begin(std::string_view op, const Pointer& path) {
  if (count_ > 0) text_ += ',';
  JsonWriter w(text_);
  w.begin_object().key("op").string(op).key("path").string_pieces(path.parts()).key("value");
  return w;
}

}  // namespace jk::inject
