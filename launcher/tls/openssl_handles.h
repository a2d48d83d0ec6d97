#pragma once
// Owning handles for the OpenSSL objects this module creates, and the error-queue text that goes
// into every Error built from an OpenSSL failure.
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

namespace jk::launcher::tls {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, OpenSslDeleter<SSL_CTX, SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, OpenSslDeleter<SSL, SSL_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE, X509_STORE_free>>;

// "<what>: <reason of the first queued OpenSSL error>" (or "<what>: unknown OpenSSL error");
// empties the thread's error queue so the next failure starts clean.
std::string openssl_error(std::string_view what);
// The reason text of one OpenSSL error code ("certificate verify failed"), or its full
// "error:..." form when OpenSSL has no reason string for it.
std::string openssl_reason(unsigned long code);

}  // namespace jk::launcher::tls
