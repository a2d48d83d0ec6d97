// Where the configuration comes from: --kubeconfig, $KUBECONFIG, in cluster, ~/.kube/config.
#include <vector>

#include "common/strings.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/files.h"
#include "webhook/kube/from_kubeconfig.h"
#include "webhook/kube/kubeconfig_file.h"

namespace jk::kube {
namespace {

std::string var(const Environment& env, const std::string& name) {
  const auto it = env.vars.find(name);
  return it == env.vars.end() ? std::string() : it->second;
}

std::string home_dir(const Environment& env) {
  return env.home.empty() ? var(env, "HOME") : env.home;
}

// The existing files of a ':'-separated list, merged (first occurrence of a name wins).
Result<ClientConfig> from_kubeconfig_list(const std::vector<std::string>& files,
                                          const std::string& context_override) {
  JK_TRY(Kubeconfig merged, load_kubeconfig_file(files.front()));
  for (std::size_t i = 1; i < files.size(); ++i) {
    JK_TRY(const Kubeconfig next, load_kubeconfig_file(files[i]));
    merge_kubeconfig(merged, next);
  }
  return from_kubeconfig(merged, context_override);
}

std::vector<std::string> existing_files(const std::string& list) {
  std::vector<std::string> files;
  for (const std::string_view entry : split(list, ':')) {
    const std::string path(entry);
    if (!path.empty() && file_exists(path)) files.push_back(path);
  }
  return files;
}

}  // namespace

Result<ClientConfig> resolve_config(const std::optional<std::string>& kubeconfig_flag,
                                    const Environment& env, const std::string& context_override) {
  if (kubeconfig_flag) return kubeconfig_config(*kubeconfig_flag, context_override);
  std::vector<std::string> tried;
  const std::string list = var(env, "KUBECONFIG");
  if (!list.empty()) {
    const std::vector<std::string> files = existing_files(list);
    if (!files.empty()) return from_kubeconfig_list(files, context_override);
    tried.push_back("$KUBECONFIG=" + list + " (no such file)");
  } else {
    tried.push_back("$KUBECONFIG (not set)");
  }
  if (!var(env, "KUBERNETES_SERVICE_HOST").empty()) return in_cluster_config(env);
  tried.push_back("in cluster (KUBERNETES_SERVICE_HOST not set)");
  const std::string home = home_dir(env);
  if (!home.empty()) {
    const std::string path = home + "/.kube/config";
    if (file_exists(path)) return kubeconfig_config(path, context_override);
    tried.push_back(path + " (no such file)");
  } else {
    tried.push_back("~/.kube/config (HOME not set)");
  }
  return make_error("no Kubernetes API configuration found; tried --kubeconfig (not given), " +
                    join(tried, ", "));
}

}  // namespace jk::kube
