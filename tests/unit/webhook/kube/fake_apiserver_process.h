#pragma once
// Runs tests/support/fake_apiserver.py as a subprocess (TLS certificates from a throwaway CA)
// and drives its plain-HTTP control endpoint. Test support only: failures throw.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/temp_certs.h"

namespace jk::testing {

// True when python3 can be found on PATH.
bool python3_available();

class FakeApiServerProcess {
 public:
  // state_json: a {"nodes": [...]} document loaded at start; token: "" for no authentication.
  // more_tokens: also accepted; client_certs: certificates issued by ca() authenticate too.
  FakeApiServerProcess(const std::string& state_json, const std::string& token,
                       const std::vector<std::string>& more_tokens = {}, bool client_certs = false);
  ~FakeApiServerProcess();
  FakeApiServerProcess(const FakeApiServerProcess&) = delete;
  FakeApiServerProcess& operator=(const FakeApiServerProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] const std::string& ca_pem() const { return ca_.cert_pem(); }
  // The CA that signed the server certificate; it may issue client certificates too.
  [[nodiscard]] const TestCa& ca() const { return ca_; }

  // POST /control/<action> with a JSON body; returns the JSON answer text.
  std::string control(const std::string& action, const std::string& body) const;
  // GET /control/<what>.
  [[nodiscard]] std::string query(const std::string& what) const;

 private:
  std::string http(const std::string& request) const;

  TempDir dir_;
  TestCa ca_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t control_port_ = 0;
};

// A v1 Node object with labels and an OS image.
std::string node_json(const std::string& name, const std::string& os_image,
                      const std::string& zone = "zone-a");

}  // namespace jk::testing
