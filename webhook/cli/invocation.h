#pragma once
// How the binary was started: as `jailkeeper-webhook`, or by kubectl as the plugin
// `kubectl-jailkeeper` (`kubectl jailkeeper audit -A`: kubectl runs kubectl-jailkeeper from PATH
// with the words after "jailkeeper"). Messages and help then name `kubectl jailkeeper`.
#include <string>
#include <string_view>

namespace jk::cli {

inline constexpr std::string_view kPluginExecutable = "kubectl-jailkeeper";

// From argv[0]: its last path component is kubectl-jailkeeper (e.g. a symlink, or krew's).
bool started_as_kubectl_plugin(std::string_view argv0);
// Set once by run(); "jailkeeper-webhook" or "kubectl jailkeeper".
void set_program_name(bool kubectl_plugin);
const std::string& program_name();
// Replaces the leading "jailkeeper-webhook" of a usage or message text by program_name().
std::string as_invoked(std::string text);

}  // namespace jk::cli
