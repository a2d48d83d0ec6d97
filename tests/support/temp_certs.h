#pragma once
// Test-time PKI: a throwaway CA (EC P-256) that issues server and client certificates, and a
// temporary directory that cleans up after itself. Test support only: failures throw.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jk::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string file(std::string_view name) const;

 private:
  std::string path_;
};

struct IssueOptions {
  std::string common_name = "localhost";
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1"};
  long serial = 2;
  bool client = false;  // clientAuth instead of serverAuth
};

struct Issued {
  std::string cert_pem;
  std::string key_pem;
};

class TestCa {
 public:
  explicit TestCa(std::string_view common_name = "jailkeeper test CA");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;
  [[nodiscard]] const std::string& cert_pem() const { return cert_pem_; }
  [[nodiscard]] Issued issue(const IssueOptions& options) const;

 private:
  struct Keys;
  std::unique_ptr<Keys> keys_;
  std::string cert_pem_;
};

// Writes contents to path (mode 0600), replacing it.
void write_file(const std::string& path, std::string_view contents);

// Paths of a server pair plus the CA that signed it.
struct CertFiles {
  std::string ca;
  std::string cert;
  std::string key;
};
// Issues a server certificate for localhost/127.0.0.1 with `serial` and writes ca.pem,
// tls.crt and tls.key into dir.
CertFiles write_server_certs(const std::string& dir, const TestCa& ca, long serial);

// Serial number of the first certificate in a PEM string (for rotation checks).
long serial_of(std::string_view cert_pem);

}  // namespace jk::testing
