#include "webhook/cli/args.h"

#include <algorithm>

namespace jk::cli {

std::optional<std::string> Args::get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::get_or(const std::string& name, std::string fallback) const {
  auto v = get(name);
  return v ? *v : std::move(fallback);
}

namespace {

const FlagSpec* find_spec(const std::vector<FlagSpec>& specs, const std::string& flag) {
  const auto it = std::find_if(specs.begin(), specs.end(), [&](const FlagSpec& s) {
    return ("--" + s.name) == flag || (!s.alias.empty() && ("-" + s.alias) == flag);
  });
  return it == specs.end() ? nullptr : &*it;
}

}  // namespace

Result<Args> parse_args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& specs) {
  Args args;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-" || a.empty() || a[0] != '-') {
      args.positional_.push_back(a);
      continue;
    }
    if (a == "--help" || a == "-h") {
      args.values_["help"] = "true";
      continue;
    }
    const std::size_t eq = a.find('=');
    const std::string flag = a.substr(0, eq);
    const FlagSpec* spec = find_spec(specs, flag);
    if (spec == nullptr) return make_error("unknown flag " + flag + " (see --help)");
    if (!spec->takes_value) {
      if (eq != std::string::npos) return make_error(flag + " takes no value");
      args.values_[spec->name] = "true";
    } else if (eq != std::string::npos) {
      args.values_[spec->name] = a.substr(eq + 1);
    } else if (i + 1 < argv.size()) {
      args.values_[spec->name] = argv[++i];
    } else {
      return make_error(flag + " needs a value (" + spec->value_name + ")");
    }
  }
  return args;
}

std::string usage(const std::string& synopsis, const std::vector<FlagSpec>& specs) {
  std::string out = "Usage: " + synopsis + "\n\nFlags:\n";
  for (const FlagSpec& s : specs) {
    std::string left = "  ";
    if (!s.alias.empty()) left += "-" + s.alias + ", ";
    left += "--" + s.name;
    if (s.takes_value) left += " " + s.value_name;
    if (left.size() < 30) left.resize(30, ' ');
    out += left + " " + s.help + "\n";
  }
  out += "  -h, --help                   show this help\n";
  return out;
}

}  // namespace jk::cli
