#pragma once
// Giving memory back after bursts (glibc malloc). Without this, 2,000 keep-alive connections
// left ~180 MB allocated after they closed, and freed request bodies stayed on the heap:
//  - tune_allocator(): a fixed mmap threshold (128 KiB), so request bodies and large DOM arrays
//    are mapped and unmapped on their own (left alone, glibc raises the threshold to the largest
//    block freed so far, up to 32 MiB, and such blocks then stay on the heap);
//  - trim_free_memory(): malloc_trim(0) when more than `threshold` bytes sit free inside malloc's
//    arenas; the server calls it every 5 s (from 1 MiB free on) from its control strand.
#include <cstddef>

namespace jk::server {

void tune_allocator();
// True when it trimmed.
bool trim_free_memory(std::size_t threshold);

}  // namespace jk::server
