#pragma once
// RFC 6901 pointers and an RFC 6902 operation list built one minimal operation at a time.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace jk::inject {

// Escapes one reference token: "~" -> "~0", "/" -> "~1".
std::string escape_token(std::string_view token);

class PatchOps {
 public:
  void add(std::string path, nlohmann::json value);
  void replace(std::string path, nlohmann::json value);
  [[nodiscard]] bool empty() const { return ops_.empty(); }
  [[nodiscard]] std::size_t size() const { return ops_.size(); }
  [[nodiscard]] const nlohmann::json& ops() const { return ops_; }
  nlohmann::json take() { return std::move(ops_); }

 private:
  nlohmann::json ops_ = nlohmann::json::array();
};

}  // namespace jk::inject
