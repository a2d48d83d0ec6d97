#include "webhook/review/json_arena.h"

#include <optional>
#include <string>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value_stack.hpp>

namespace jk::review {
namespace {

namespace bj = boost::json;

// The heap behind the arena, counting what a parse takes beyond the kept buffer.
class CountingUpstream final : public bj::memory_resource {
 public:
  std::size_t bytes = 0;

 private:
  void* do_allocate(std::size_t n, std::size_t align) override {
    bytes += n;
    return ::operator new(n, std::align_val_t(align));
  }
  // The unsized form: clang 14 (the fuzz build) does not enable sized deallocation by default.
  void do_deallocate(void* p, std::size_t /*n*/, std::size_t align) override {
    ::operator delete(p, std::align_val_t(align));
  }
  [[nodiscard]] bool do_is_equal(const bj::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

// Boost.JSON's own DOM-building handler (detail/impl/handler.ipp), plus skipping: the value of
// a member on a SkipList path is parsed (it must still be valid JSON) but never built.
class SkippingHandler {
 public:
  constexpr static std::size_t max_object_size = bj::object::max_size();
  constexpr static std::size_t max_array_size = bj::array::max_size();
  constexpr static std::size_t max_key_size = bj::string::max_size();
  constexpr static std::size_t max_string_size = bj::string::max_size();

  bj::value_stack st;

  SkippingHandler() : mask_(kMaxJsonDepth + 2), skipped_(kMaxJsonDepth + 2) {}

  void start(const SkipList& skip) {
    skip_ = &skip;
    depth_ = 0;
    skip_nest_ = 0;
    skip_next_ = false;
    pending_mask_ = skip.size == 0 ? 0 : static_cast<unsigned>((1U << skip.size) - 1);
    key_.clear();
  }

  bool on_document_begin(bj::error_code&) { return true; }
  bool on_document_end(bj::error_code&) { return true; }

  bool on_object_begin(bj::error_code&) { return open(); }
  bool on_object_end(std::size_t n, bj::error_code&) {
    if (skipping_container()) return true;
    st.push_object(n - skipped_[depth_]);
    --depth_;
    return true;
  }
  bool on_array_begin(bj::error_code&) { return open(); }
  bool on_array_end(std::size_t n, bj::error_code&) {
    if (skipping_container()) return true;
    st.push_array(n);
    --depth_;
    return true;
  }

  bool on_key_part(bj::string_view s, std::size_t, bj::error_code&) {
    if (skip_nest_ == 0) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, bj::error_code&) {
    if (skip_nest_ > 0) return true;
    std::string_view key(s.data(), s.size());
    if (!key_.empty()) {
      key_.append(s.data(), s.size());
      key = key_;
    }
    member(key);
    key_.clear();
    return true;
  }

  bool on_string_part(bj::string_view s, std::size_t, bj::error_code&) {
    if (skip_nest_ == 0 && !skip_next_) st.push_chars(s);
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, bj::error_code&) {
    if (scalar()) st.push_string(s);
    return true;
  }
  bool on_number_part(bj::string_view, bj::error_code&) { return true; }
  bool on_int64(std::int64_t i, bj::string_view, bj::error_code&) {
    if (scalar()) st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, bj::string_view, bj::error_code&) {
    if (scalar()) st.push_uint64(u);
    return true;
  }
  bool on_double(double d, bj::string_view, bj::error_code&) {
    if (scalar()) st.push_double(d);
    return true;
  }
  bool on_bool(bool b, bj::error_code&) {
    if (scalar()) st.push_bool(b);
    return true;
  }
  bool on_null(bj::error_code&) {
    if (scalar()) st.push_null();
    return true;
  }
  bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
  bool on_comment(bj::string_view, bj::error_code&) { return true; }

 private:
  // A container starts: skipped (inside or as a skipped member's value) or built.
  bool open() {
    if (skip_nest_ > 0 || skip_next_) {
      skip_next_ = false;
      ++skip_nest_;
      return true;
    }
    ++depth_;
    mask_[depth_] = pending_mask_;
    skipped_[depth_] = 0;
    pending_mask_ = 0;  // array elements and members start from their own key
    return true;
  }

  // A container ends while skipping: true when it was skipped.
  bool skipping_container() {
    if (skip_nest_ == 0) return false;
    --skip_nest_;
    return true;
  }

  // A scalar value: true when it is built.
  bool scalar() {
    pending_mask_ = 0;
    if (skip_nest_ > 0) return false;
    if (skip_next_) {
      skip_next_ = false;
      return false;
    }
    return true;
  }

  // A member's key in the object at depth_: skip its value, or build it and note which skip
  // paths continue below it.
  void member(std::string_view key) {
    unsigned next = 0;
    const unsigned here = mask_[depth_];
    for (std::size_t i = 0; here != 0 && i < skip_->size; ++i) {
      const SkipPath& p = skip_->paths[i];
      if ((here & (1U << i)) == 0 || p.size < depth_ || p.keys[depth_ - 1] != key) continue;
      if (p.size == depth_) {
        skip_next_ = true;
        ++skipped_[depth_];
        return;
      }
      next |= 1U << i;
    }
    st.push_key(bj::string_view(key.data(), key.size()));
    pending_mask_ = next;
  }

  const SkipList* skip_ = nullptr;
  std::vector<unsigned> mask_;        // per open container: skip paths matched so far
  std::vector<std::size_t> skipped_;  // per open object: members skipped
  std::size_t depth_ = 0;             // open containers being built
  std::size_t skip_nest_ = 0;         // open containers being skipped
  bool skip_next_ = false;            // the next value is a skipped member's
  unsigned pending_mask_ = 0;         // skip paths matched by the key just read
  std::string key_;                   // a key that arrived in parts
};

bj::parse_options options() {
  bj::parse_options opt;
  opt.max_depth = kMaxJsonDepth;
  return opt;
}

}  // namespace

struct JsonArena::Impl {
  explicit Impl(std::size_t bytes)
      : buffer(new unsigned char[bytes]), size(bytes), parser(options()) {}
  std::unique_ptr<unsigned char[]> buffer;
  std::size_t size;
  CountingUpstream upstream;
  std::optional<bj::monotonic_resource> resource;
  bj::basic_parser<SkippingHandler> parser;
  // optional: assigning a value would copy it into the target's storage (the heap); emplace
  // keeps the arena's.
  std::optional<bj::value> value;
};

JsonArena::JsonArena(std::size_t buffer_bytes) : impl_(std::make_unique<Impl>(buffer_bytes)) {}
JsonArena::~JsonArena() = default;

std::size_t JsonArena::overflow_bytes() const { return impl_->upstream.bytes; }

Result<const boost::json::value*> JsonArena::parse(std::string_view text, const SkipList& skip) {
  Impl& a = *impl_;
  a.value.reset();  // nothing may point into the arena we are about to reuse
  a.resource.reset();
  a.upstream.bytes = 0;
  a.resource.emplace(a.buffer.get(), a.size, bj::storage_ptr(&a.upstream));
  a.parser.reset();
  SkippingHandler& h = a.parser.handler();
  h.st.reset(bj::storage_ptr(&*a.resource));
  h.start(skip);
  bj::error_code ec;
  const std::size_t used = a.parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = bj::error::extra_data;
  if (ec) {
    h.st.reset();
    return make_error("not valid JSON: " + ec.message() + " at byte " + std::to_string(used));
  }
  a.value.emplace(h.st.release());
  return &*a.value;
}

}  // namespace jk::review
