#include "webhook/kube/exec_authenticator.h"

#include <unistd.h>

#include <map>
#include <utility>

#include "common/log.h"
#include "webhook/kube/exec_process.h"

namespace jk::kube {
namespace {

constexpr std::string_view kExecInfoVar = "KUBERNETES_EXEC_INFO";

std::string exit_text(const ProcessResult& result) {
  if (result.term_signal != 0) return "was killed by signal " + std::to_string(result.term_signal);
  return "exited with status " + std::to_string(result.exit_code);
}

// What identifies a plugin configuration and the cluster it is run for.
std::string cache_key(const ClientConfig& config) {
  const ExecConfig& e = *config.exec;
  std::string key = e.api_version + '\n' + e.command + '\n' + e.field_path + '\n';
  for (const auto& a : e.args) key += "arg=" + a + '\n';
  for (const auto& [n, v] : e.env) key += "env=" + n + "=" + v + '\n';
  key +=
      std::to_string(static_cast<int>(e.interactive_mode)) + (e.provide_cluster_info ? "1" : "0");
  return key + '\n' + config.server + '\n' + config.tls_server_name + '\n' + config.ca_pem;
}

}  // namespace

ExecAuthenticator::ExecAuthenticator(ExecConfig exec, ClientConfig cluster,
                                     ExecAuthenticatorOptions options)
    : exec_(std::move(exec)), cluster_(std::move(cluster)), options_(std::move(options)) {
  if (!options_.stdin_is_terminal) options_.stdin_is_terminal = [] { return isatty(0) == 1; };
  if (!options_.now) options_.now = [] { return std::chrono::system_clock::now(); };
}

std::string ExecAuthenticator::name() const {
  return "exec plugin " + exec_.command + " (" + exec_.field_path + ")";
}

Result<ExecCredential> ExecAuthenticator::get() {
  std::lock_guard lock(mutex_);
  if (cached_ && (!cached_->expiry || options_.now() < *cached_->expiry)) return *cached_;
  cached_.reset();
  auto fresh = run_plugin();
  if (!fresh) return fresh.error().wrap(name());
  cached_ = *fresh;
  return fresh;
}

void ExecAuthenticator::unauthorized(const ExecCredential& used) {
  std::lock_guard lock(mutex_);
  if (cached_ && same_credential(*cached_, used)) cached_.reset();
}

std::size_t ExecAuthenticator::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

// kubectl's rules: Never → not interactive; IfAvailable → when stdin is a terminal; Always →
// stdin must be a terminal.
Result<bool> ExecAuthenticator::interactive() const {
  const bool terminal = options_.stdin_is_terminal();
  switch (exec_.interactive_mode) {
    case ExecInteractiveMode::kNever:
      return false;
    case ExecInteractiveMode::kIfAvailable:
      return terminal;
    case ExecInteractiveMode::kAlways:
      if (!terminal) {
        return make_error("interactiveMode is Always but standard input is not a terminal");
      }
      return true;
  }
  return false;
}

Result<ExecCredential> ExecAuthenticator::run_plugin() {
  JK_TRY(const bool interactive_run, interactive());
  ProcessSpec spec;
  spec.command = exec_.command;
  spec.args = exec_.args;
  spec.env = exec_.env;
  spec.env.emplace_back(std::string(kExecInfoVar),
                        exec_info_json(exec_, cluster_, interactive_run));
  spec.inherit_stdin = interactive_run;
  if (!interactive_run) spec.timeout = options_.timeout;
  ++runs_;
  auto result = run_process(spec);
  if (!result) {
    if (!is_not_found(result.error())) return result.error();
    const std::string hint = exec_.install_hint.empty() ? "" : "\n" + exec_.install_hint;
    return make_error("command \"" + exec_.command + "\" not found" +
                      (exec_.command.find('/') == std::string::npos ? " on PATH" : "") + hint);
  }
  if (result->exit_code != 0) {
    return make_error(exit_text(*result) + " (its own messages, if any, are on stderr above)");
  }
  auto credential = parse_exec_credential(result->out, exec_.api_version);
  if (!credential) return credential.error().wrap("printed an unusable ExecCredential");
  log::debug("exec credential plugin ran", {{"plugin", name()}});
  return credential;
}

bool same_credential(const ExecCredential& a, const ExecCredential& b) {
  return a.token == b.token && a.client_cert_pem == b.client_cert_pem &&
         a.client_key_pem == b.client_key_pem;
}

std::shared_ptr<ExecAuthenticator> shared_exec_authenticator(const ClientConfig& config) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<ExecAuthenticator>> live;
  const std::string key = cache_key(config);
  std::lock_guard lock(mutex);
  if (auto existing = live[key].lock()) return existing;
  auto created = std::make_shared<ExecAuthenticator>(*config.exec, config);
  live[key] = created;
  return created;
}

}  // namespace jk::kube
