#include "common/buffer_pool.h"

#include <gtest/gtest.h>

#include <thread>

namespace jk {
namespace {

// Empties this thread's store so each test starts from nothing.
void drain() {
  while (kept_buffers() > 0) (void)take_buffer();
}

TEST(BufferPool, AGivenStringComesBackEmptyWithItsMemory) {
  drain();
  std::string s(5000, 'x');
  const char* memory = s.data();
  give_buffer(std::move(s));
  EXPECT_EQ(kept_buffers(), 1U);
  const std::string again = take_buffer();
  EXPECT_TRUE(again.empty());
  EXPECT_GE(again.capacity(), 5000U);
  EXPECT_EQ(again.data(), memory) << "the same memory, not a copy";
  EXPECT_EQ(kept_buffers(), 0U);
}

TEST(BufferPool, AnEmptyStoreGivesANewString) {
  drain();
  const std::string s = take_buffer();
  EXPECT_TRUE(s.empty());
}

TEST(BufferPool, LargeStringsAreFreedNotKept) {
  drain();
  give_buffer(std::string(kKeptBufferBytes + 1, 'x'));
  EXPECT_EQ(kept_buffers(), 0U);
  give_buffer(std::string("short"));  // inline storage: nothing to keep
  EXPECT_EQ(kept_buffers(), 0U);
}

TEST(BufferPool, AtMostKKeptBuffersPerThread) {
  drain();
  for (std::size_t i = 0; i < kKeptBuffers + 5; ++i) give_buffer(std::string(100, 'x'));
  EXPECT_EQ(kept_buffers(), kKeptBuffers);
  drain();
}

TEST(BufferPool, EachThreadHasItsOwnStore) {
  drain();
  give_buffer(std::string(100, 'x'));
  std::size_t other = 99;
  std::thread([&] {
    other = kept_buffers();
    give_buffer(std::string(100, 'y'));  // kept by that thread, freed when it ends
  }).join();
  EXPECT_EQ(other, 0U);
  EXPECT_EQ(kept_buffers(), 1U);
  drain();
}

}  // namespace
}  // namespace jk
