#pragma once
// Runs a kubeconfig's exec credential plugin as kubectl does and caches what it prints: the
// token or client certificate is reused until its expirationTimestamp (or, without one, until
// the API server answers 401), then the plugin runs again. One run at a time per plugin; every
// client of the process with the same kubeconfig user and cluster shares one authenticator.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/exec_credential.h"

namespace jk::kube {

struct ExecAuthenticatorOptions {
  // A non-interactive run that takes longer is killed (an interactive one may wait for a login).
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  std::function<bool()> stdin_is_terminal;                     // empty: isatty(0)
  std::function<std::chrono::system_clock::time_point()> now;  // empty: system_clock::now
};

class ExecAuthenticator {
 public:
  ExecAuthenticator(ExecConfig exec, ClientConfig cluster, ExecAuthenticatorOptions options = {});

  // The cached credential while it has not expired, else a fresh run of the plugin. Errors
  // name the plugin and the kubeconfig field: "exec plugin aws (users[name=eks].user.exec): ...".
  Result<ExecCredential> get();
  // The API server refused `used` (401): it is not reused; the next get() runs the plugin.
  void unauthorized(const ExecCredential& used);
  [[nodiscard]] std::size_t runs() const;

 private:
  Result<ExecCredential> run_plugin();
  Result<bool> interactive() const;
  [[nodiscard]] std::string name() const;

  ExecConfig exec_;
  ClientConfig cluster_;
  ExecAuthenticatorOptions options_;
  mutable std::mutex mutex_;  // one run at a time; guards cached_ and runs_
  std::optional<ExecCredential> cached_;
  std::size_t runs_ = 0;
};

// One authenticator per (exec block, cluster) in this process, shared by every HttpClient made
// from an equal configuration (the node, namespace and pod watches; audit's lister).
std::shared_ptr<ExecAuthenticator> shared_exec_authenticator(const ClientConfig& config);

bool same_credential(const ExecCredential& a, const ExecCredential& b);

}  // namespace jk::kube
