#pragma once
// Splits a byte stream that arrives in arbitrary pieces into '\n'-terminated lines (a watch
// stream carries one JSON event per line). "\r\n" and empty lines are tolerated.
#include <functional>
#include <string>
#include <string_view>

namespace jk::kube {

class LineSplitter {
 public:
  // Feeds bytes; calls on_line for each complete non-empty line. Returns false as soon as
  // on_line does.
  bool feed(std::string_view bytes, const std::function<bool(std::string_view)>& on_line);
  [[nodiscard]] std::size_t pending_bytes() const { return pending_.size(); }

 private:
  std::string pending_;
};

}  // namespace jk::kube
