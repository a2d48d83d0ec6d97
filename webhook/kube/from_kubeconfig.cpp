#include "webhook/kube/from_kubeconfig.h"

#include "common/base64.h"
#include "common/strings.h"
#include "webhook/kube/exec_settings.h"
#include "webhook/kube/files.h"
#include "webhook/kube/pem.h"
#include "webhook/kube/server_url.h"

namespace jk::kube {
namespace {

Error in_file(const std::string& file, const Error& error) {
  return error.wrap("kubeconfig " + file);
}

Status wrapped(const Status& status, const std::string& context) {
  if (!status) return status.error().wrap(context);
  return {};
}

// Contents of a *-data field (base64) or of the file a path field names. Errors name the field.
Result<std::string> read_credential(const std::string& data, const std::string& file,
                                    const std::string& kubeconfig, const std::string& field_path) {
  if (!data.empty()) {
    auto decoded = base64_decode(data);
    if (!decoded) return Error{field_path + "-data: " + decoded.error().message};
    return decoded;
  }
  if (file.empty()) return std::string();
  auto contents = read_whole_file(resolve_path(directory_of(kubeconfig), file));
  if (!contents) return contents.error().wrap(field_path);
  return contents;
}

Result<std::string> context_name(const Kubeconfig& config, const std::string& override_name) {
  const std::string name = override_name.empty() ? config.current_context : override_name;
  if (name.empty()) return make_error("current-context is not set and no context was given");
  if (config.contexts.count(name) == 0) {
    std::vector<std::string> names;
    for (const auto& entry : config.contexts) names.push_back(entry.first);
    return make_error("context \"" + name + "\" not found (contexts: " +
                      (names.empty() ? std::string("none") : join(names, ", ")) + ")");
  }
  return name;
}

Status apply_cluster(const KubeconfigCluster& cluster, const std::string& path, ClientConfig& out) {
  if (!cluster.proxy_url.empty()) return make_error(path + ".proxy-url: proxies are not supported");
  auto url = parse_server_url(cluster.server);
  if (!url) return url.error().wrap(path + ".server");
  out.server = url->server;
  out.host = url->host;
  out.port = url->port;
  out.base_path = url->base_path;
  out.tls_server_name = cluster.tls_server_name.empty() ? url->host : cluster.tls_server_name;
  const std::string ca_path = path + ".certificate-authority";
  JK_TRY(out.ca_pem, read_credential(cluster.certificate_authority_data,
                                     cluster.certificate_authority, cluster.file, ca_path));
  out.insecure_skip_tls_verify = cluster.insecure_skip_tls_verify;
  if (out.insecure_skip_tls_verify && !out.ca_pem.empty()) {
    return make_error(path + ": insecure-skip-tls-verify and a certificate authority are both set");
  }
  if (!out.ca_pem.empty()) {
    auto valid = validate_ca_bundle(out.ca_pem);
    const std::string field = cluster.certificate_authority_data.empty() ? "" : "-data";
    if (!valid) return valid.error().wrap(ca_path + field);
  }
  return {};
}

Status refuse_unsupported(const KubeconfigUser& user, const std::string& path) {
  if (user.has_auth_provider) {
    return make_error(path + ".auth-provider (" + user.auth_provider_name +
                      "): auth-provider plugins are not supported (they were removed from "
                      "kubectl in 1.26); use an exec plugin, a token or a client certificate");
  }
  if (user.has_basic_auth) {
    return make_error(path +
                      ".username/password: basic auth is not supported; use a token or "
                      "client certificate");
  }
  return {};
}

Status apply_client_certificate(const KubeconfigUser& user, const std::string& path,
                                ClientConfig& out) {
  const std::string cert_path = path + ".client-certificate";
  const std::string key_path = path + ".client-key";
  JK_TRY(out.client_cert_pem, read_credential(user.client_certificate_data, user.client_certificate,
                                              user.file, cert_path));
  JK_TRY(out.client_key_pem,
         read_credential(user.client_key_data, user.client_key, user.file, key_path));
  if (out.client_cert_pem.empty() != out.client_key_pem.empty()) {
    return make_error(path + ": client-certificate and client-key must be given together");
  }
  if (out.client_cert_pem.empty()) return {};
  JK_TRY_STATUS(wrapped(validate_client_certificate(out.client_cert_pem), cert_path));
  JK_TRY_STATUS(wrapped(validate_private_key(out.client_key_pem), key_path));
  return wrapped(validate_key_matches(out.client_cert_pem, out.client_key_pem), path);
}

// The plugin supplies the credentials; static ones beside it would be ambiguous.
Status apply_exec(const KubeconfigUser& user, const std::string& path, ClientConfig& out) {
  const bool has_static = !user.token.empty() || !user.token_file.empty() ||
                          !user.client_certificate.empty() || !user.client_certificate_data.empty();
  if (has_static) {
    return make_error(path + ": both exec and a token or client certificate are set; use one");
  }
  JK_TRY(out.exec, validate_exec(*user.exec, user.exec_interactive_mode, user.file));
  return {};
}

Status apply_user(const KubeconfigUser& user, const std::string& path, ClientConfig& out) {
  JK_TRY_STATUS(refuse_unsupported(user, path));
  if (user.exec) return apply_exec(user, path, out);
  JK_TRY_STATUS(apply_client_certificate(user, path, out));
  // As client-go: a tokenFile is re-read and wins over an inline token.
  if (!user.token_file.empty()) {
    out.token_file = resolve_path(directory_of(user.file), user.token_file);
    auto token = read_token_file(out.token_file);
    if (!token) return token.error().wrap(path + ".tokenFile");
  } else {
    out.bearer_token = user.token;
  }
  const bool has_token = !out.token_file.empty() || !out.bearer_token.empty();
  if (has_token && !out.client_cert_pem.empty()) {
    return make_error(path + ": both a token and a client certificate are set; use one");
  }
  if (!has_token && out.client_cert_pem.empty()) {
    return make_error(path +
                      ": no credentials (token, tokenFile, client-certificate + "
                      "client-key, or exec)");
  }
  return {};
}

}  // namespace

Result<ClientConfig> from_kubeconfig(const Kubeconfig& config,
                                     const std::string& context_override) {
  const std::string files = join(config.files, ":");
  auto name = context_name(config, context_override);
  if (!name) return in_file(files, name.error());
  const KubeconfigContext& context = config.contexts.at(*name);
  const std::string context_path = "contexts[name=" + *name + "].context";
  const auto cluster = config.clusters.find(context.cluster);
  if (cluster == config.clusters.end()) {
    return in_file(context.file, make_error(context_path + ".cluster: no cluster named \"" +
                                            context.cluster + "\""));
  }
  const auto user = config.users.find(context.user);
  if (user == config.users.end()) {
    return in_file(context.file,
                   make_error(context_path + ".user: no user named \"" + context.user + "\""));
  }
  ClientConfig out;
  const std::string cluster_path = "clusters[name=" + context.cluster + "].cluster";
  auto applied = apply_cluster(cluster->second, cluster_path, out);
  if (!applied) return in_file(cluster->second.file, applied.error());
  applied = apply_user(user->second, "users[name=" + context.user + "].user", out);
  if (!applied) return in_file(user->second.file, applied.error());
  out.source = "kubeconfig " + files + " (context " + *name + ")";
  return out;
}

Result<ClientConfig> kubeconfig_config(const std::string& path,
                                       const std::string& context_override) {
  JK_TRY(const Kubeconfig config, load_kubeconfig_file(path));
  return from_kubeconfig(config, context_override);
}

}  // namespace jk::kube
