#pragma once
// `jailkeeper-launch install DIR`: what the webhook's init container runs to copy the launcher
// into the shared emptyDir. The copy is atomic: a temporary file in DIR is written, fsynced,
// made 0755 and renamed over DIR/jailkeeper-launch, so the agent container never sees a partial
// binary.
#include <string>

#include "common/result.h"

namespace jk::launcher::cli {

inline constexpr const char* kSelfExe = "/proc/self/exe";
inline constexpr const char* kInstalledName = "jailkeeper-launch";

// Copies source to dir/jailkeeper-launch; returns the installed path. Errors carry errno text.
Result<std::string> install_binary(const std::string& source, const std::string& dir);

}  // namespace jk::launcher::cli
