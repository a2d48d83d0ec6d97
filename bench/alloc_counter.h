#pragma once
// Counts heap allocations (every global operator new, so std containers, nlohmann, Boost.JSON's
// upstream and Beast; not OpenSSL's own malloc calls). Linking alloc_counter.cpp replaces the
// global operator new/delete of the benchmark binary; nothing else links it.
#include <cstdint>

namespace jk::bench {

// Allocations since the start of the process (relaxed; the benchmarks are single-threaded).
std::uint64_t allocations();

}  // namespace jk::bench
