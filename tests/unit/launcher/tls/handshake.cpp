#include "tests/unit/launcher/tls/handshake.h"

#include <openssl/err.h>

#include <array>

namespace jk::launcher::tls::testing {

namespace {

constexpr int kMaxRounds = 64;

enum class Step { kDone, kWaiting, kFailed };

Step step(SSL* ssl, std::string* error) {
  const int ret = SSL_do_handshake(ssl);
  if (ret == 1) return Step::kDone;
  const int reason = SSL_get_error(ssl, ret);
  if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) return Step::kWaiting;
  std::array<char, 256> text{};
  ERR_error_string_n(ERR_peek_error(), text.data(), text.size());
  if (error != nullptr) *error = text.data();
  ERR_clear_error();
  return Step::kFailed;
}

}  // namespace

std::string Handshake::alpn() const {
  const unsigned char* data = nullptr;
  unsigned int size = 0;
  SSL_get0_alpn_selected(client.get(), &data, &size);
  return data == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(data), size);
}

X509Ptr Handshake::server_certificate() const {
  return X509Ptr(SSL_get1_peer_certificate(client.get()));
}

Handshake make_pair(const HandshakeSetup& setup) {
  Handshake h;
  h.client.reset(SSL_new(setup.client_ctx));
  h.server.reset(SSL_new(setup.server_ctx));
  BIO* client_bio = nullptr;
  BIO* server_bio = nullptr;
  BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
  SSL_set_bio(h.client.get(), client_bio, client_bio);
  SSL_set_bio(h.server.get(), server_bio, server_bio);
  SSL_set_connect_state(h.client.get());
  SSL_set_accept_state(h.server.get());
  return h;
}

void run(Handshake& h) {
  Step client = Step::kWaiting;
  Step server = Step::kWaiting;
  for (int round = 0; round < kMaxRounds; ++round) {
    if (client == Step::kWaiting) client = step(h.client.get(), &h.client_error);
    if (server == Step::kWaiting) server = step(h.server.get(), nullptr);
    if (client != Step::kWaiting && server != Step::kWaiting) break;
    if (client == Step::kFailed || server == Step::kFailed) {
      // Let the other side read the alert, then stop.
      if (client == Step::kWaiting) client = step(h.client.get(), &h.client_error);
      if (server == Step::kWaiting) server = step(h.server.get(), nullptr);
      break;
    }
  }
  h.client_ok = client == Step::kDone;
  h.server_ok = server == Step::kDone;
}

}  // namespace jk::launcher::tls::testing
