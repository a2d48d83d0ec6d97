#pragma once
// Progress of a long `audit` for the person watching: one line on stderr, rewritten in place
// ("listing pods: 12 pages, 6000 objects"), cleared when the report is printed. Only on a
// terminal: when stderr is piped or redirected nothing is written, so scripts see no noise.
#include <cstddef>
#include <ostream>
#include <string>

namespace jk::cli {

class Progress {
 public:
  Progress(std::ostream& out, bool enabled) : out_(out), enabled_(enabled) {}
  // stderr, enabled when it is a terminal.
  static Progress for_stderr();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // One list page of `resource` arrived with `items` objects.
  void page(const std::string& resource, std::size_t items);
  void judging(std::size_t pods);
  // Erases the line (before the report goes to stdout on the same terminal).
  void clear();
  [[nodiscard]] bool enabled() const { return enabled_; }

 private:
  void show(const std::string& text);

  std::ostream& out_;
  bool enabled_;
  bool shown_ = false;
  std::string resource_;
  std::size_t pages_ = 0;
  std::size_t items_ = 0;
  std::size_t total_pages_ = 0;
};

}  // namespace jk::cli
