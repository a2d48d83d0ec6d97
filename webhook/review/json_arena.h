#pragma once
// A JSON document parsed into a reusable arena: Boost.JSON's values, allocated from a
// monotonic resource over a buffer the arena keeps between parses, so a steady stream of
// documents of similar size parses without touching the heap. Members named by a SkipList are
// read past without being built (an AdmissionReview's oldObject, a pod's managedFields).
#include <array>
#include <cstddef>
#include <memory>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/result.h"

namespace jk::review {

// Object-member paths whose values are not built, e.g. {"request", "oldObject"}. At most
// kMaxSkipPaths paths of at most kMaxSkipDepth keys; paths do not go through arrays.
inline constexpr std::size_t kMaxSkipPaths = 4;
inline constexpr std::size_t kMaxSkipDepth = 4;
struct SkipPath {
  std::array<std::string_view, kMaxSkipDepth> keys{};
  std::size_t size = 0;
};
struct SkipList {
  std::array<SkipPath, kMaxSkipPaths> paths{};
  std::size_t size = 0;
};

// Nesting deeper than this is refused (kube-apiserver's own decoder allows 10,000; real pods
// nest ~15 deep; the parser is iterative, so this bounds memory, not stack).
inline constexpr std::size_t kMaxJsonDepth = 512;

class JsonArena {
 public:
  // `buffer_bytes`: the arena kept between parses; larger documents take more from the heap
  // for the duration of their parse.
  explicit JsonArena(std::size_t buffer_bytes = kDefaultBufferBytes);
  ~JsonArena();
  JsonArena(const JsonArena&) = delete;
  JsonArena& operator=(const JsonArena&) = delete;

  // Parses `text` (one JSON document, nothing after it but whitespace). The value stays valid
  // until the next parse() or the arena's destruction. Errors: "not valid JSON: <why>".
  Result<const boost::json::value*> parse(std::string_view text, const SkipList& skip = {});

  // Bytes the last parse took beyond the kept buffer (0 when it fit).
  [[nodiscard]] std::size_t overflow_bytes() const;

  static constexpr std::size_t kDefaultBufferBytes = 64 * 1024;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jk::review
