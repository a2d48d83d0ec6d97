#pragma once
// Strings whose memory serves the next request on the same thread (issue 17: a steady stream of
// reviews allocates no buffers for request bodies, answers or the bytes written).
//
// take_buffer() returns an empty string with the capacity of one given back earlier on this
// thread (or a new, empty one). give_buffer() keeps a string for that while the thread holds
// fewer than kKeptBuffers and the string's capacity is at most kKeptBufferBytes; otherwise its
// memory is freed as before (a 3 MiB body does not stay behind its request). The memory kept is
// bounded per thread (kKeptBuffers x kKeptBufferBytes, 2 MiB; a few 8 KiB strings in practice)
// and none of it belongs to a connection: an idle connection holds no buffer of this store. A
// string may be given back on another thread than the one that took it.
#include <cstddef>
#include <string>

namespace jk {

inline constexpr std::size_t kKeptBuffers = 32;
inline constexpr std::size_t kKeptBufferBytes = 64 * 1024;

std::string take_buffer();
void give_buffer(std::string&& buffer);

// How many strings this thread keeps now (tests).
std::size_t kept_buffers();

}  // namespace jk
