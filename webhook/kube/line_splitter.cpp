#include "webhook/kube/line_splitter.h"

namespace jk::kube {

bool LineSplitter::feed(std::string_view bytes,
                        const std::function<bool(std::string_view)>& on_line) {
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      pending_.append(bytes);
      return true;
    }
    pending_.append(bytes.substr(0, newline));
    bytes.remove_prefix(newline + 1);
    if (!pending_.empty() && pending_.back() == '\r') pending_.pop_back();
    std::string line;
    line.swap(pending_);
    if (!line.empty() && !on_line(line)) return false;
  }
  return true;
}

}  // namespace jk::kube
