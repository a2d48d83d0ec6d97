#include "webhook/cli/invocation.h"

namespace jk::cli {
namespace {

constexpr std::string_view kDirectName = "jailkeeper-webhook";
constexpr std::string_view kPluginName = "kubectl jailkeeper";

std::string& name_slot() {
  static std::string name(kDirectName);
  return name;
}

}  // namespace

bool started_as_kubectl_plugin(std::string_view argv0) {
  const auto slash = argv0.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
  return base == kPluginExecutable;
}

void set_program_name(bool kubectl_plugin) {
  name_slot() = std::string(kubectl_plugin ? kPluginName : kDirectName);
}

const std::string& program_name() { return name_slot(); }

std::string as_invoked(std::string text) {
  if (program_name() == kDirectName) return text;
  for (std::size_t at = text.find(kDirectName); at != std::string::npos;
       at = text.find(kDirectName, at + kPluginName.size())) {
    text.replace(at, kDirectName.size(), kPluginName);
  }
  return text;
}

}  // namespace jk::cli
