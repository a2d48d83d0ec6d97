#include "tests/unit/webhook/kube/kube_fixture.h"

#include <filesystem>
#include <sstream>

#include "common/base64.h"

namespace jk::kube::testing {
namespace {

jk::testing::Issued issue_client(const jk::testing::TestCa& ca, long serial) {
  jk::testing::IssueOptions options;
  options.common_name = "admin";
  options.dns_names = {};
  options.ip_addresses = {};
  options.client = true;
  options.serial = serial;
  return ca.issue(options);
}

std::string indent(const std::string& body, const std::string& prefix) {
  std::istringstream in(body);
  std::string out;
  for (std::string line; std::getline(in, line);) out += prefix + line + "\n";
  return out;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

}  // namespace

KubeFixture::KubeFixture() : client_(issue_client(ca_, 2)), other_(issue_client(ca_, 3)) {
  write("ca.crt", ca_.cert_pem());
  write("client.crt", client_.cert_pem);
  write("client.key", client_.key_pem);
  write("token", "token-from-file\n");
  placeholders_ = {{"{DIR}", dir()},
                   {"{CA_DATA}", base64_encode(ca_.cert_pem())},
                   {"{CERT_DATA}", base64_encode(client_.cert_pem)},
                   {"{KEY_DATA}", base64_encode(client_.key_pem)},
                   {"{OTHER_KEY_DATA}", base64_encode(other_.key_pem)},
                   {"{NOT_PEM_DATA}", base64_encode("hello")}};
}

std::string KubeFixture::write(const std::string& name, const std::string& contents) const {
  const std::string path = dir_.file(name);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  jk::testing::write_file(path, contents);
  return path;
}

std::string KubeFixture::expand(std::string text) const {
  for (const auto& [from, to] : placeholders_) replace_all(text, from, to);
  return text;
}

std::string kubeconfig_text(const std::string& cluster_body, const std::string& user_body) {
  return "apiVersion: v1\n"
         "kind: Config\n"
         "current-context: main\n"
         "contexts:\n"
         "- name: main\n"
         "  context: {cluster: c1, user: u1, namespace: default}\n"
         "- name: other\n"
         "  context: {cluster: c2, user: u1}\n"
         "clusters:\n"
         "- name: c1\n"
         "  cluster:\n" +
         indent(cluster_body, "    ") +
         "- name: c2\n"
         "  cluster:\n"
         "    server: https://other.example:6443\n"
         "    insecure-skip-tls-verify: true\n"
         "users:\n"
         "- name: u1\n"
         "  user:\n" +
         indent(user_body, "    ");
}

}  // namespace jk::kube::testing
