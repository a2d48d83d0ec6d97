#include "webhook/kube/kubeconfig_file.h"

#include <yaml-cpp/yaml.h>

#include <functional>

#include "webhook/kube/files.h"

namespace jk::kube {
namespace {

std::string child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// A string field of a map; absent or null reads as "".
Result<std::string> read_string(const YAML::Node& map, const std::string& key,
                                const std::string& path) {
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) return std::string();
  if (!value.IsScalar()) return make_error(child(path, key) + ": expected a string");
  return value.Scalar();
}

Result<bool> read_bool(const YAML::Node& map, const std::string& key, const std::string& path) {
  JK_TRY(const std::string s, read_string(map, key, path));
  if (s.empty() || s == "false") return false;
  if (s == "true") return true;
  return make_error(child(path, key) + ": expected true or false, got \"" + s + "\"");
}

bool present(const YAML::Node& map, const std::string& key) {
  const YAML::Node value = map[key];
  return value.IsDefined() && !value.IsNull();
}

Status read_cluster(const YAML::Node& body, const std::string& path, KubeconfigCluster& c) {
  JK_TRY(c.server, read_string(body, "server", path));
  JK_TRY(c.certificate_authority, read_string(body, "certificate-authority", path));
  JK_TRY(c.certificate_authority_data, read_string(body, "certificate-authority-data", path));
  JK_TRY(c.tls_server_name, read_string(body, "tls-server-name", path));
  JK_TRY(c.proxy_url, read_string(body, "proxy-url", path));
  JK_TRY(c.insecure_skip_tls_verify, read_bool(body, "insecure-skip-tls-verify", path));
  return {};
}

Result<std::vector<std::string>> read_string_list(const YAML::Node& map, const std::string& key,
                                                  const std::string& path) {
  const YAML::Node list = map[key];
  std::vector<std::string> out;
  if (!list.IsDefined() || list.IsNull()) return out;
  if (!list.IsSequence()) return make_error(child(path, key) + ": expected a list of strings");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].IsScalar()) {
      return make_error(child(path, key) + "[" + std::to_string(i) + "]: expected a string");
    }
    out.push_back(list[i].Scalar());
  }
  return out;
}

// exec.env: [{name, value}].
Status read_exec_env(const YAML::Node& exec, const std::string& path, ExecConfig& out) {
  const YAML::Node list = exec["env"];
  if (!list.IsDefined() || list.IsNull()) return {};
  if (!list.IsSequence()) return make_error(path + ".env: expected a list of {name, value}");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string item = path + ".env[" + std::to_string(i) + "]";
    if (!list[i].IsMap()) return make_error(item + ": expected a map {name, value}");
    JK_TRY(std::string name, read_string(list[i], "name", item));
    JK_TRY(std::string value, read_string(list[i], "value", item));
    if (name.empty() || name.find('=') != std::string::npos) {
      return make_error(item + ".name: expected a variable name, got \"" + name + "\"");
    }
    out.env.emplace_back(std::move(name), std::move(value));
  }
  return {};
}

// Types only; the apiVersion and interactiveMode are checked when the user is used.
Status read_exec(const YAML::Node& exec, const std::string& path, ExecConfig& out,
                 std::string& interactive_mode) {
  if (!exec.IsMap()) return make_error(path + ": expected a map");
  out.field_path = path;
  JK_TRY(out.api_version, read_string(exec, "apiVersion", path));
  JK_TRY(out.command, read_string(exec, "command", path));
  JK_TRY(out.args, read_string_list(exec, "args", path));
  JK_TRY_STATUS(read_exec_env(exec, path, out));
  JK_TRY(interactive_mode, read_string(exec, "interactiveMode", path));
  JK_TRY(out.provide_cluster_info, read_bool(exec, "provideClusterInfo", path));
  JK_TRY(out.install_hint, read_string(exec, "installHint", path));
  return {};
}

Status read_user(const YAML::Node& body, const std::string& path, KubeconfigUser& u) {
  JK_TRY(u.token, read_string(body, "token", path));
  JK_TRY(u.token_file, read_string(body, "tokenFile", path));
  JK_TRY(u.client_certificate, read_string(body, "client-certificate", path));
  JK_TRY(u.client_certificate_data, read_string(body, "client-certificate-data", path));
  JK_TRY(u.client_key, read_string(body, "client-key", path));
  JK_TRY(u.client_key_data, read_string(body, "client-key-data", path));
  u.has_basic_auth = present(body, "username") || present(body, "password");
  if (present(body, "exec")) {
    ExecConfig exec;
    JK_TRY_STATUS(read_exec(body["exec"], path + ".exec", exec, u.exec_interactive_mode));
    u.exec = std::move(exec);
  }
  u.has_auth_provider = present(body, "auth-provider");
  if (u.has_auth_provider && body["auth-provider"].IsMap()) {
    JK_TRY(u.auth_provider_name,
           read_string(body["auth-provider"], "name", path + ".auth-provider"));
  }
  return {};
}

Status read_context(const YAML::Node& body, const std::string& path, KubeconfigContext& c) {
  JK_TRY(c.cluster, read_string(body, "cluster", path));
  JK_TRY(c.user, read_string(body, "user", path));
  return {};
}

// Reads a list of {name, <body_key>: {...}}; the first occurrence of a name wins.
template <typename T>
Status read_named_list(
    const YAML::Node& root, const std::string& list_key, const std::string& body_key,
    const std::string& file, std::map<std::string, T>& out,
    const std::function<Status(const YAML::Node&, const std::string&, T&)>& read_body) {
  const YAML::Node list = root[list_key];
  if (!list.IsDefined() || list.IsNull()) return {};
  if (!list.IsSequence()) return make_error(list_key + ": expected a list");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string item_path = list_key + "[" + std::to_string(i) + "]";
    if (!item.IsMap()) return make_error(item_path + ": expected a map");
    JK_TRY(const std::string name, read_string(item, "name", item_path));
    if (name.empty()) return make_error(item_path + ".name: missing");
    const std::string body_path = list_key + "[name=" + name + "]." + body_key;
    const YAML::Node body = item[body_key];
    if (body.IsDefined() && !body.IsNull() && !body.IsMap()) {
      return make_error(body_path + ": expected a map");
    }
    T value;
    value.file = file;
    if (body.IsMap()) JK_TRY_STATUS(read_body(body, body_path, value));
    out.emplace(name, std::move(value));
  }
  return {};
}

Result<Kubeconfig> parse(const YAML::Node& root, const std::string& path) {
  Kubeconfig config;
  config.files.push_back(path);
  if (root.IsNull() || !root.IsDefined()) return config;  // empty file, as kubectl allows
  if (!root.IsMap()) return make_error("expected a map at the top level");
  JK_TRY(config.current_context, read_string(root, "current-context", ""));
  JK_TRY_STATUS(read_named_list<KubeconfigCluster>(root, "clusters", "cluster", path,
                                                   config.clusters, read_cluster));
  JK_TRY_STATUS(
      read_named_list<KubeconfigUser>(root, "users", "user", path, config.users, read_user));
  JK_TRY_STATUS(read_named_list<KubeconfigContext>(root, "contexts", "context", path,
                                                   config.contexts, read_context));
  return config;
}

}  // namespace

Result<Kubeconfig> load_kubeconfig_file(const std::string& path) {
  const std::string prefix = "kubeconfig " + path;
  auto text = read_whole_file(path);
  if (!text) return Error{"kubeconfig: " + text.error().message};
  try {
    auto config = parse(YAML::Load(*text), path);
    if (!config) return config.error().wrap(prefix);
    return config;
  } catch (const YAML::Exception& e) {
    return make_error(prefix + ": " + e.what());
  }
}

void merge_kubeconfig(Kubeconfig& first, const Kubeconfig& later) {
  first.files.insert(first.files.end(), later.files.begin(), later.files.end());
  if (first.current_context.empty()) first.current_context = later.current_context;
  first.clusters.insert(later.clusters.begin(), later.clusters.end());  // keeps existing keys
  first.users.insert(later.users.begin(), later.users.end());
  first.contexts.insert(later.contexts.begin(), later.contexts.end());
}

}  // namespace jk::kube
