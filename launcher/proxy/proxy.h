#pragma once
// The launcher's filtering, intercepting HTTP(S) proxy (issue 4). One port; the first bytes of a
// connection decide: a TLS ClientHello is intercepted (leaf certificate for the SNI name, else
// the original destination's IP), `CONNECT host:port` opens a tunnel in which the first bytes
// decide again, anything else is HTTP (origin-form with Host, or absolute-form). Every request
// is judged on its own by method, host and path against the allow rules (first match wins,
// default deny); allowed requests are forwarded with bodies streamed both ways, denied ones get
// the boundary 403. One audit line per request.
//
// No Asio or Beast types here (pimpl): the supervisor only hands over descriptors.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "launcher/proxy/resolver_config.h"
#include "launcher/sys/endpoint.h"
#include "launcher/sys/unique_fd.h"
#include "launchspec/address_prefix.h"
#include "launchspec/rules.h"

namespace jk::launcher::tls {
class Authority;
class UpstreamTls;
}  // namespace jk::launcher::tls

namespace jk::launcher::requestlog {
class RequestLog;
}  // namespace jk::launcher::requestlog

namespace jk::launcher::proxy {

using std::chrono::milliseconds;

// Every stage has a limit; none may hang a worker.
struct Timeouts {
  milliseconds header_read{30'000};       // TLS handshake and the first request head
  milliseconds idle_client{60'000};       // waiting for the next request on a kept-alive connection
  milliseconds upstream_connect{10'000};  // resolve + connect + upstream TLS handshake (-> 504)
  milliseconds upstream_response{300'000};  // request sent, waiting for the response head (-> 504)
  milliseconds idle_transfer{300'000};      // no byte either way in a body, tunnel or websocket
};

struct ProxyOptions {
  std::vector<launchspec::Rule> rules;            // first match wins; empty denies everything
  std::shared_ptr<tls::Authority> authority;      // null: TLS from clients is refused
  std::shared_ptr<tls::UpstreamTls> upstream;     // null: https upstreams fail with 502
  std::shared_ptr<requestlog::RequestLog> audit;  // null: no audit lines
  Timeouts timeouts;
  std::size_t max_connections = 512;  // client connections at once; more are closed at once
  int threads = 2;
  std::uint32_t max_header_bytes = 64 * 1024;  // request and response heads (-> 431 / 502)
  // A connection to port 53 whose first bytes are neither TLS nor HTTP is DNS over TCP: when
  // on, answered with the DNS stub's placeholders, or relayed to `dns_upstream` when set
  // (--use-real-dns). Off: closed like any other unknown protocol.
  bool dns_over_tcp = false;
  std::optional<sys::Endpoint> dns_upstream;
  // Where names resolve: /etc/hosts and /etc/resolv.conf as read before the agent started
  // (resolver_config.h); the proxy never calls getaddrinfo.
  ResolverConfig resolver;
  // Internal upstream addresses (loopback, link-local, metadata, the pod's own, ...) the proxy
  // may connect to anyway (upstream_address.h); empty: none.
  std::vector<launchspec::AddressPrefix> allow_internal;
  std::string jail;        // for audit lines ("nsjail", "landjail", "seccompjail", "test")
  std::string session_id;  // for audit lines
};

class Proxy {
 public:
  static Result<std::unique_ptr<Proxy>> create(ProxyOptions options);
  ~Proxy();
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  // Accepts on a listening TCP socket. For each accepted connection the original destination
  // is read with SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST when the kernel has one that is not
  // the listener itself (nsjail's redirected connections), else there is none (explicit proxy
  // use). Requests to the listener's own address are refused (no loops). Call before start().
  Status add_listener(sys::UniqueFd listening_fd);
  // Serves one already connected socket (seccompjail knows the destination itself). Any time,
  // from any thread.
  void serve(sys::UniqueFd connected_fd, std::optional<sys::Endpoint> original_destination);

  // Starts the worker threads. Call after the jail child is forked.
  Status start();
  // Stops accepting and serving; joins the threads. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit Proxy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A listening TCP socket (SO_REUSEADDR, CLOEXEC, non-blocking). Port 0 picks a free port.
// Errors read "listen 127.0.0.1:8080: Address already in use".
Result<sys::UniqueFd> listen_tcp(const sys::Endpoint& where);
// The port a socket is bound to.
Result<std::uint16_t> local_port(int fd);

}  // namespace jk::launcher::proxy
