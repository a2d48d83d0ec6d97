#pragma once
// A small command-line parser: `--name VALUE`, `--name=VALUE`, short aliases (`-f`), boolean
// flags and `--help`. Unknown flags and missing values are errors that name the flag.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace jk::cli {

struct FlagSpec {
  std::string name;   // "config" (without dashes)
  std::string alias;  // "f" for -f, may be empty
  bool takes_value = true;
  std::string value_name;  // "FILE", shown in help
  std::string help;
};

class Args {
 public:
  [[nodiscard]] bool has(const std::string& name) const { return values_.count(name) != 0; }
  [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
  [[nodiscard]] std::string get_or(const std::string& name, std::string fallback) const;
  [[nodiscard]] const std::vector<std::string>& positional() const { return positional_; }
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

Result<Args> parse_args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& specs);
std::string usage(const std::string& synopsis, const std::vector<FlagSpec>& specs);

}  // namespace jk::cli
