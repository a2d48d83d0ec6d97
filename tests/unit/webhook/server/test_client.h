#pragma once
// A real TLS (and plain HTTP) client for the server tests: verifies the CA and the host name,
// sends SNI, and bounds every operation with a timeout so a broken server fails the test
// instead of hanging it.
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/temp_certs.h"

namespace jk::testing {

struct Reply {
  boost::system::error_code ec;  // set when no complete response arrived
  unsigned status = 0;
  std::string body;
  std::string content_type;
  bool keep_alive = false;
};

struct ClientOptions {
  std::string ca_pem;
  std::optional<Issued> client_cert;
  int max_version = 0;  // e.g. TLS1_1_VERSION to offer only old protocols
  std::string groups;   // key exchange groups offered, e.g. "ffdhe8192"; empty: OpenSSL's
  std::string host = "localhost";
};

// A client that trusts ca_pem; adjust the other fields as needed.
inline ClientOptions trusting(std::string ca_pem) {
  ClientOptions options;
  options.ca_pem = std::move(ca_pem);
  return options;
}
inline Reply failed(boost::system::error_code ec) {
  Reply reply;
  reply.ec = ec;
  return reply;
}

class TlsClient {
 public:
  explicit TlsClient(ClientOptions options);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // TCP connect to 127.0.0.1:port and TLS handshake.
  boost::system::error_code connect(std::uint16_t port);
  Reply request(const std::string& method, const std::string& target, const std::string& body = {},
                const std::string& content_type = {});
  // Sends bytes as-is over TLS.
  boost::system::error_code write(const std::string& bytes);
  // Sends bytes as-is over TLS, then reads one response (if any).
  Reply raw(const std::string& bytes);
  // Reads one response (after write()).
  Reply read_reply();
  // Reads until `marker` has arrived (or the operation timeout); returns what arrived.
  std::string read_until(const std::string& marker);
  // Serial number of the server's certificate on this connection.
  [[nodiscard]] long peer_serial() const;
  // The key exchange group of this connection, e.g. "X25519", "secp384r1".
  [[nodiscard]] std::string negotiated_group() const;
  // Whether the server closes the connection within the client's operation timeout.
  bool closed_by_server();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One plain-HTTP GET on a fresh connection.
Reply http_get(std::uint16_t port, const std::string& target);
// Connects over TCP, writes bytes, and returns what the server answered before closing.
std::string tcp_exchange(std::uint16_t port, const std::string& bytes);

}  // namespace jk::testing
