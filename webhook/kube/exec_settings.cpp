#include "webhook/kube/exec_settings.h"

#include "webhook/kube/files.h"

namespace jk::kube {
namespace {

Result<ExecInteractiveMode> interactive_mode_of(const std::string& text, bool v1,
                                                const std::string& path) {
  if (text == "Never") return ExecInteractiveMode::kNever;
  if (text == "IfAvailable") return ExecInteractiveMode::kIfAvailable;
  if (text == "Always") return ExecInteractiveMode::kAlways;
  if (text.empty() && !v1) return ExecInteractiveMode::kIfAvailable;
  if (text.empty()) {
    return make_error(path + ".interactiveMode: required for " + std::string(kExecApiV1) +
                      " (Never, IfAvailable or Always)");
  }
  return make_error(path + ".interactiveMode: expected Never, IfAvailable or Always, got \"" +
                    text + "\"");
}

}  // namespace

Result<ExecConfig> validate_exec(ExecConfig exec, const std::string& interactive_mode,
                                 const std::string& kubeconfig_file) {
  const std::string& path = exec.field_path;
  const bool v1 = exec.api_version == kExecApiV1;
  if (!v1 && exec.api_version != kExecApiV1beta1) {
    return make_error(path + ".apiVersion: expected " + std::string(kExecApiV1) + " or " +
                      std::string(kExecApiV1beta1) + ", got \"" + exec.api_version + "\"");
  }
  if (exec.command.empty()) return make_error(path + ".command: missing");
  JK_TRY(exec.interactive_mode, interactive_mode_of(interactive_mode, v1, path));
  // As kubectl: a command with a path separator is a file path, relative to the kubeconfig;
  // a bare name is looked up on PATH when the plugin runs.
  if (exec.command.find('/') != std::string::npos) {
    exec.command = resolve_path(directory_of(kubeconfig_file), exec.command);
  }
  return exec;
}

}  // namespace jk::kube
