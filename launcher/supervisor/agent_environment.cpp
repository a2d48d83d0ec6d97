#include "launcher/supervisor/agent_environment.h"

#include <algorithm>
#include <string_view>

#include "common/strings.h"

namespace jk::launcher::supervisor {
namespace {

std::string name_of(std::string_view entry) { return to_lower(entry.substr(0, entry.find('='))); }

}  // namespace

std::vector<std::string> with_variables(const std::vector<std::string>& env,
                                        const std::vector<std::string>& set) {
  std::vector<std::string> names;
  names.reserve(set.size());
  for (const std::string& entry : set) names.push_back(name_of(entry));
  std::vector<std::string> out;
  out.reserve(env.size() + set.size());
  for (const std::string& entry : env) {
    if (std::find(names.begin(), names.end(), name_of(entry)) == names.end()) out.push_back(entry);
  }
  out.insert(out.end(), set.begin(), set.end());
  return out;
}

}  // namespace jk::launcher::supervisor
