#pragma once
// Type confusion for decoders of untrusted JSON: every value of a document (the root, every
// member, every array element, recursively) replaced, one at a time, by values of every other
// JSON type and by edge values of its own (`{"kind": 5}`, `{"code": "410"}`, `"labels": []`).
// A decoder that reads a field without checking its type throws nlohmann::type_error on one of
// these; the tests that use this assert that nothing throws and that the answer stays an answer.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jk::testing {

// null, true, false, 0, -1, 5, 1.5, 1e300, 2^64-1, "", "x", "410", [], [1], {}, {"a":1},
// {"kind":5}.
const std::vector<nlohmann::ordered_json>& confused_values();

// 1, or 4 in sanitizer builds, where each visit costs ~14 times as much: there every position
// gets one in four of the confused values, rotating with the position, so every value is still
// tried on a quarter of the positions and every position with some wrong type. The release
// build tries them all.
std::size_t confusion_stride();

// Calls visit(mutated, where) for every value position in `doc` and every confused value that
// differs from the original (thinned by confusion_stride()); `where` is the JSON pointer and the
// replacement, e.g.
// `/request/object/spec -> 5`. Returns how many documents were visited.
std::size_t for_each_confusion(const nlohmann::ordered_json& doc,
                               const std::function<void(const nlohmann::ordered_json& mutated,
                                                        const std::string& where)>& visit);

}  // namespace jk::testing
