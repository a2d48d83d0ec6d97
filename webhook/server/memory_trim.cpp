#include "webhook/server/memory_trim.h"

#include <malloc.h>

namespace jk::server {
namespace {
constexpr int kMmapThreshold = 128 * 1024;
}  // namespace

void tune_allocator() { mallopt(M_MMAP_THRESHOLD, kMmapThreshold); }

bool trim_free_memory(std::size_t threshold) {
  const struct mallinfo2 info = mallinfo2();
  if (info.fordblks < threshold) return false;  // free bytes inside the arenas
  malloc_trim(0);
  return true;
}

}  // namespace jk::server
