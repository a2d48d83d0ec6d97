// Fuzzes the review decoder's parse: any bytes, parsed with the AdmissionReview's skip list
// (request.oldObject, request.object.metadata.managedFields) and without. Skipping must never
// change whether the text is valid JSON, and the skipped value must equal the full value with
// exactly those members removed. Then the review and pod decoders run on it. Must never crash.
#include <boost/json/value.hpp>
#include <cstdint>
#include <cstdlib>

#include "webhook/review/admission_review.h"
#include "webhook/review/json_arena.h"
#include "webhook/review/pod_decoder.h"

namespace {

namespace bj = boost::json;
using jk::review::JsonArena;
using jk::review::SkipList;

SkipList review_skips() {
  SkipList skip;
  skip.paths[0].keys = {"request", "oldObject"};
  skip.paths[0].size = 2;
  skip.paths[1].keys = {"request", "object", "metadata", "managedFields"};
  skip.paths[1].size = 4;
  skip.size = 2;
  return skip;
}

bj::object* object_at(bj::value& v, std::string_view key) {
  bj::object* o = v.if_object();
  if (o == nullptr) return nullptr;
  auto it = o->find(key);
  return it == o->end() ? nullptr : it->value().if_object();
}

// The full value with the skipped members erased (a copy on the default heap).
bj::value without_skipped(const bj::value& full) {
  bj::value v(full);
  if (bj::object* request = object_at(v, "request")) {
    request->erase("oldObject");
    auto object = request->find("object");
    if (object != request->end()) {
      if (bj::object* metadata = object_at(object->value(), "metadata")) {
        metadata->erase("managedFields");
      }
    }
  }
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static JsonArena skipping;
  static JsonArena whole;
  static const SkipList kSkips = review_skips();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto skipped = skipping.parse(text, kSkips);
  auto full = whole.parse(text);
  if (skipped.ok() != full.ok()) std::abort();
  if (!full.ok()) return 0;
  if (**skipped != without_skipped(**full)) std::abort();
  auto review = jk::review::decode_review(text, skipping);
  if (review.ok() && review->object != nullptr) (void)jk::review::decode_pod(*review->object);
  (void)jk::review::decode_pod_json(text);
  return 0;
}
