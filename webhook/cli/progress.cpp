#include "webhook/cli/progress.h"

#include <unistd.h>

#include <iostream>

namespace jk::cli {
namespace {
constexpr std::string_view kEraseLine = "\r\033[K";
}  // namespace

Progress Progress::for_stderr() { return Progress(std::cerr, isatty(STDERR_FILENO) == 1); }

void Progress::page(const std::string& resource, std::size_t items) {
  if (resource != resource_) {
    resource_ = resource;
    pages_ = 0;
    items_ = 0;
  }
  ++pages_;
  ++total_pages_;
  items_ += items;
  show("audit: listing " + resource_ + ": " + std::to_string(pages_) +
       (pages_ == 1 ? " page, " : " pages, ") + std::to_string(items_) + " objects");
}

void Progress::judging(std::size_t pods) {
  show("audit: " + std::to_string(total_pages_) + " pages fetched; judging " +
       std::to_string(pods) + " pods");
}

void Progress::clear() {
  if (!enabled_ || !shown_) return;
  out_ << kEraseLine << std::flush;
  shown_ = false;
}

void Progress::show(const std::string& text) {
  if (!enabled_) return;
  out_ << kEraseLine << text << std::flush;
  shown_ = true;
}

}  // namespace jk::cli
