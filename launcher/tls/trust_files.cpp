#include "launcher/tls/trust_files.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "launcher/tls/openssl_handles.h"

namespace jk::launcher::tls {

namespace fs = std::filesystem;

namespace {

constexpr auto kDirMode = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec;  // 0755
constexpr auto kFileMode = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                           fs::perms::others_read;  // 0644

// The c_rehash name OpenSSL's directory lookup finds a CA under: <subject hash>.0
Result<std::string> hash_link_name(std::string_view ca_pem) {
  BIO* bio = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
  X509Ptr cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  X509Ptr extra(cert ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr);
  BIO_free(bio);
  ERR_clear_error();
  if (!cert || extra)
    return make_error("trust files: the CA PEM must hold exactly one certificate");
  std::array<char, sizeof("ffffffff.0")> name{};
  std::snprintf(name.data(), name.size(), "%08lx.0", X509_subject_name_hash(cert.get()));
  return std::string(name.data());
}

Status make_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return {};
  if (!fs::create_directories(dir, ec) || ec) {
    return make_error("create " + dir.string() + ": " + (ec ? ec.message() : "not a directory"));
  }
  fs::permissions(dir, kDirMode, fs::perm_options::replace, ec);
  if (ec) return make_error("chmod 0755 " + dir.string() + ": " + ec.message());
  return {};
}

Status write_file(const fs::path& path, std::string_view content) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.good()) return make_error("write " + path.string() + ": failed");
  }
  std::error_code ec;
  fs::permissions(path, kFileMode, fs::perm_options::replace, ec);
  if (ec) return make_error("chmod 0644 " + path.string() + ": " + ec.message());
  return {};
}

// Another name for `existing` (a hard link: no second copy to write at every start), or a copy
// where the file system cannot link.
Status link_or_copy(const fs::path& existing, const fs::path& path, std::string_view content) {
  std::error_code ec;
  fs::create_hard_link(existing, path, ec);
  if (!ec) return {};
  return write_file(path, content);
}

// The whole file with one read where the size is known (the bundle is ~220 KB).
Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return make_error("read " + path + ": cannot open");
  const std::streamoff size = in.tellg();
  in.seekg(0);
  std::string content(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  std::ostringstream rest;  // grown since the size was taken
  if (in) rest << in.rdbuf();
  if (in.bad()) return make_error("read " + path + ": failed");
  return content + rest.str();
}

// System roots (when found) followed by our CA; each PEM block on its own lines.
Result<std::string> bundle_content(std::string_view ca_pem, TrustFiles& files,
                                   const TrustFileOptions& options) {
  const auto system = find_system_bundle(options.system_bundles);
  if (!system) return std::string(ca_pem);
  JK_TRY(std::string bundle, read_file(*system));
  if (!bundle.empty() && bundle.back() != '\n') bundle += '\n';
  files.has_system_roots = true;
  files.system_bundle = *system;
  return bundle + std::string(ca_pem);
}

}  // namespace

Result<TrustFiles> write_trust_files(const std::string& dir, std::string_view ca_pem,
                                     const TrustFileOptions& options) {
  JK_TRY(const std::string hash_name, hash_link_name(ca_pem));
  const fs::path root(dir);
  TrustFiles files;
  files.ca_file = (root / "ca.pem").string();
  files.bundle_file = (root / "bundle.pem").string();
  files.cert_dir = (root / "certs").string();
  JK_TRY(const std::string bundle, bundle_content(ca_pem, files, options));
  JK_TRY_STATUS(make_dir(root));
  JK_TRY_STATUS(make_dir(files.cert_dir));
  JK_TRY_STATUS(write_file(files.ca_file, ca_pem));
  JK_TRY_STATUS(write_file(files.bundle_file, bundle));
  // certs/ holds the bundle too: tools that read every file of SSL_CERT_DIR (Go) then keep the
  // system roots.
  JK_TRY_STATUS(link_or_copy(files.bundle_file, fs::path(files.cert_dir) / "bundle.pem", bundle));
  JK_TRY_STATUS(link_or_copy(files.ca_file, fs::path(files.cert_dir) / hash_name, ca_pem));
  return files;
}

std::vector<std::pair<std::string, std::string>> trust_environment(const TrustFiles& files) {
  std::vector<std::pair<std::string, std::string>> env = {
      {"SSL_CERT_FILE", files.bundle_file},
      {"SSL_CERT_DIR", files.cert_dir},
      {"NODE_EXTRA_CA_CERTS", files.ca_file},
  };
  // Each of these replaces the tool's trust store: the bundle (system roots + our CA).
  for (const char* name :
       {"CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "REQUESTS_CA_BUNDLE", "AWS_CA_BUNDLE", "PIP_CERT",
        "CARGO_HTTP_CAINFO", "DENO_CERT", "HEX_CACERTS_PATH",
        // npm and pnpm (beats an npmrc `cafile`, which replaces Node's roots), yarn 1 and yarn 2+
        "NPM_CONFIG_CAFILE", "YARN_CAFILE", "YARN_HTTPS_CA_FILE_PATH",
        // bundler, gRPC
        "BUNDLE_SSL_CA_CERT", "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"}) {
    env.emplace_back(name, files.bundle_file);
  }
  return env;
}

}  // namespace jk::launcher::tls
