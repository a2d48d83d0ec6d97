// TlsStream over real loopback TCP: the proxy's server context (Authority) on one side, its
// upstream context (UpstreamTls, trusting the Authority's CA) on the other. Covers what the
// relay relies on: records gathered into one read, one read and one write at once, sniffed
// bytes handed to the handshake, deadlines, and the errors asio::ssl::stream would give.
#include "launcher/proxy/tls_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "launcher/tls/authority.h"
#include "launcher/tls/upstream.h"
#include "tests/unit/launcher/temp_dir.h"

namespace jk::launcher::proxy {
namespace {

using namespace asio::experimental::awaitable_operators;  // NOLINT(google-build-using-namespace)
using launcher::testing::TempDir;

std::vector<char> pattern(std::size_t size) {
  std::vector<char> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + i / 4099) & 0xff);
  return bytes;
}

// Each stores its outcome in `out`, so several can run at once with awaitable_operators' &&.
awaitable<void> handshake_into(TlsStream& stream, error_code& out) {
  auto [ec] = co_await stream.async_handshake(kUseTuple);
  out = ec;
}
awaitable<void> write_into(TlsStream& stream, asio::const_buffer data, error_code& out) {
  auto [ec, n] = co_await asio::async_write(stream, data, kUseTuple);
  out = ec;
}
awaitable<void> read_into(TlsStream& stream, asio::mutable_buffer data, error_code& out) {
  auto [ec, n] = co_await asio::async_read(stream, data, kUseTuple);
  out = ec;
}

class TlsStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto authority = tls::Authority::create();
    ASSERT_TRUE(authority.ok());
    authority_ = *authority;
    ca_file_ = dir_.write("ca.pem", authority_->ca_certificate_pem());
    tls::UpstreamTlsOptions options;
    options.extra_ca_file = ca_file_;
    options.use_system_roots = false;
    auto upstream = tls::UpstreamTls::create(options);
    ASSERT_TRUE(upstream.ok());
    upstream_ = *upstream;
    tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
    tcp::socket client(io_);
    client.connect(acceptor.local_endpoint());
    tcp::socket server = acceptor.accept();
    client_socket_.emplace(std::move(client));
    server_socket_.emplace(std::move(server));
  }

  // A server stream, optionally after `sniffed` bytes were already read from the socket.
  std::unique_ptr<TlsStream> make_server(asio::const_buffer sniffed = {}) {
    return std::make_unique<TlsStream>(beast::tcp_stream(std::move(*server_socket_)),
                                       authority_->server_context(), TlsRole::kServer, sniffed);
  }
  std::unique_ptr<TlsStream> make_client(const std::string& name = "localhost") {
    auto stream = std::make_unique<TlsStream>(beast::tcp_stream(std::move(*client_socket_)),
                                              upstream_->context(), TlsRole::kClient);
    EXPECT_TRUE(tls::UpstreamTls::prepare(stream->native_handle(), name).ok());
    return stream;
  }

  // Runs `body` to completion on the test's io_context; rethrows what it throws.
  void run(std::function<awaitable<void>()> body) {
    std::exception_ptr failure;
    asio::co_spawn(io_, std::move(body), [&](std::exception_ptr e) { failure = e; });
    io_.run();
    io_.restart();
    if (failure) std::rethrow_exception(failure);
  }

  static awaitable<void> handshake(TlsStream& server, TlsStream& client) {
    error_code s;
    error_code c;
    co_await (handshake_into(server, s) && handshake_into(client, c));
    EXPECT_FALSE(s) << s.message();
    EXPECT_FALSE(c) << c.message();
  }

  asio::io_context io_;
  TempDir dir_;
  std::string ca_file_;
  std::shared_ptr<tls::Authority> authority_;
  std::shared_ptr<tls::UpstreamTls> upstream_;
  std::optional<tcp::socket> client_socket_;
  std::optional<tcp::socket> server_socket_;
};

TEST_F(TlsStreamTest, RecordsAlreadyReceivedAreGatheredIntoOneRead) {
  auto server = make_server();
  auto client = make_client();
  run([&]() -> awaitable<void> {
    co_await handshake(*server, *client);
    // 40 KiB is three TLS records; on loopback they are all queued at the server once the
    // write completes (within a fresh connection's receive window), and one read must return
    // them together.
    const auto sent = pattern(40 * 1024);
    auto [wec, wn] = co_await asio::async_write(*client, asio::buffer(sent), kUseTuple);
    EXPECT_FALSE(wec) << wec.message();
    std::vector<char> got(sent.size());
    auto [rec, rn] = co_await server->async_read_some(asio::buffer(got), kUseTuple);
    EXPECT_FALSE(rec) << rec.message();
    EXPECT_EQ(rn, sent.size());
    EXPECT_EQ(got, sent);
  });
}

TEST_F(TlsStreamTest, BothDirectionsAtOnceKeepEveryByte) {
  auto server = make_server();
  auto client = make_client();
  const auto up = pattern(3 * 1024 * 1024 + 7);
  auto down = pattern(5 * 1024 * 1024 + 3);
  std::reverse(down.begin(), down.end());
  std::vector<char> got_up(up.size());
  std::vector<char> got_down(down.size());
  run([&]() -> awaitable<void> {
    co_await handshake(*server, *client);
    // Four operations in flight: each stream reads and writes at the same time (the websocket
    // pump's pattern), with more data than the socket buffers hold.
    std::array<error_code, 4> ec;
    co_await (write_into(*client, asio::buffer(up), ec[0]) &&
              read_into(*server, asio::buffer(got_up), ec[1]) &&
              write_into(*server, asio::buffer(down), ec[2]) &&
              read_into(*client, asio::buffer(got_down), ec[3]));
    for (const error_code& e : ec) EXPECT_FALSE(e) << e.message();
  });
  EXPECT_TRUE(got_up == up);
  EXPECT_TRUE(got_down == down);
}

TEST_F(TlsStreamTest, SniffedClientHelloBytesAreUsedByTheHandshake) {
  auto client = make_client();
  std::vector<char> sniffed(5);  // the record header, as the proxy's first-bytes check reads it
  std::unique_ptr<TlsStream> server;
  run([&]() -> awaitable<void> {
    error_code s;
    error_code c;
    auto server_side = [&]() -> awaitable<void> {
      auto [ec, n] = co_await asio::async_read(*server_socket_, asio::buffer(sniffed), kUseTuple);
      EXPECT_FALSE(ec);
      server = make_server(asio::buffer(sniffed));
      co_await handshake_into(*server, s);
    };
    co_await (server_side() && handshake_into(*client, c));
    EXPECT_FALSE(s) << s.message();
    EXPECT_FALSE(c) << c.message();
    EXPECT_EQ(sniffed[0], 0x16);  // handshake record
    const std::string hello = "GET / HTTP/1.1\r\n\r\n";
    auto [wec, wn] = co_await asio::async_write(*client, asio::buffer(hello), kUseTuple);
    EXPECT_FALSE(wec);
    std::string got(hello.size(), '\0');
    auto [rec, rn] = co_await asio::async_read(*server, asio::buffer(got), kUseTuple);
    EXPECT_FALSE(rec);
    EXPECT_EQ(got, hello);
  });
}

TEST_F(TlsStreamTest, CloseNotifyEndsReadsWithEofAfterTheData) {
  auto server = make_server();
  auto client = make_client();
  run([&]() -> awaitable<void> {
    co_await handshake(*server, *client);
    const std::string last = "last words";
    auto [wec, wn] = co_await asio::async_write(*client, asio::buffer(last), kUseTuple);
    EXPECT_FALSE(wec);
    auto [sec] = co_await client->async_shutdown(kUseTuple);
    EXPECT_FALSE(sec) << sec.message();
    std::string got(64, '\0');
    auto [rec, rn] = co_await server->async_read_some(asio::buffer(got), kUseTuple);
    EXPECT_FALSE(rec);
    EXPECT_EQ(got.substr(0, rn), last);
    auto [eof, zero] = co_await server->async_read_some(asio::buffer(got), kUseTuple);
    EXPECT_EQ(eof, asio::error::eof) << eof.message();
    EXPECT_EQ(zero, 0U);
  });
}

TEST_F(TlsStreamTest, PeerClosingWithoutCloseNotifyIsATruncatedStream) {
  auto server = make_server();
  auto client = make_client();
  run([&]() -> awaitable<void> {
    co_await handshake(*server, *client);
    const std::string partial = "half a response";
    auto [wec, wn] = co_await asio::async_write(*client, asio::buffer(partial), kUseTuple);
    EXPECT_FALSE(wec);
    // A FIN without close_notify (close() could send a reset: the client has unread tickets).
    beast::get_lowest_layer(*client).socket().shutdown(tcp::socket::shutdown_send);
    std::string got(64, '\0');
    auto [rec, rn] = co_await server->async_read_some(asio::buffer(got), kUseTuple);
    EXPECT_FALSE(rec);
    EXPECT_EQ(got.substr(0, rn), partial);
    auto [cut, zero] = co_await server->async_read_some(asio::buffer(got), kUseTuple);
    EXPECT_EQ(cut, asio::ssl::error::stream_truncated) << cut.message();
    EXPECT_TRUE(is_disconnect(cut));
  });
}

TEST_F(TlsStreamTest, AWriteThatCannotBeSentFails) {
  auto server = make_server();
  auto client = make_client();
  run([&]() -> awaitable<void> {
    co_await handshake(*server, *client);
    beast::get_lowest_layer(*client).socket().shutdown(tcp::socket::shutdown_send);
    const std::string data = "never sent";
    auto [ec, n] = co_await asio::async_write(*client, asio::buffer(data), kUseTuple);
    EXPECT_EQ(ec, asio::error::broken_pipe) << ec.message();
    EXPECT_EQ(n, 0U);
  });
}

TEST_F(TlsStreamTest, TheTcpStreamDeadlineBoundsARead) {
  auto server = make_server();
  auto client = make_client();
  run([&]() -> awaitable<void> {
    co_await handshake(*server, *client);
    beast::get_lowest_layer(*server).expires_after(std::chrono::milliseconds(50));
    std::array<char, 16> got{};
    auto [ec, n] = co_await server->async_read_some(asio::buffer(got), kUseTuple);
    EXPECT_TRUE(is_timeout(ec)) << ec.message();
  });
}

TEST_F(TlsStreamTest, UntrustedServerFailsTheClientHandshakeWithAReadableReason) {
  auto other = tls::Authority::create();
  ASSERT_TRUE(other.ok());
  auto server = std::make_unique<TlsStream>(beast::tcp_stream(std::move(*server_socket_)),
                                            (*other)->server_context(), TlsRole::kServer);
  auto client = make_client();
  run([&]() -> awaitable<void> {
    error_code server_error;
    error_code client_error;
    co_await (handshake_into(*server, server_error) && handshake_into(*client, client_error));
    EXPECT_TRUE(client_error);
    EXPECT_EQ(client_error.category(), asio::error::get_ssl_category());
    EXPECT_EQ(tls::describe_handshake_failure(client->native_handle(), "localhost"),
              "certificate verify failed: unable to get local issuer certificate for host "
              "localhost");
    // The client's alert reached the server: its handshake fails too, instead of waiting.
    EXPECT_TRUE(server_error);
    EXPECT_EQ(server_error.category(), asio::error::get_ssl_category()) << server_error.message();
  });
}

TEST_F(TlsStreamTest, HandlersNeverRunInsideTheInitiatingCall) {
  auto server = make_server();
  auto client = make_client();
  run([&]() -> awaitable<void> {
    co_await handshake(*server, *client);
    const std::string data = "two records' worth? no: one small write";
    auto [wec, wn] = co_await asio::async_write(*client, asio::buffer(data), kUseTuple);
    EXPECT_FALSE(wec);
    std::array<char, 8> first{};
    auto [rec, rn] = co_await server->async_read_some(asio::buffer(first), kUseTuple);
    EXPECT_EQ(rn, first.size());  // the rest of the record stays buffered in OpenSSL
  });
  // Completions that need no I/O (buffered data, zero-length operations) are posted.
  bool read_done = false;
  std::array<char, 8> second{};
  server->async_read_some(asio::buffer(second), [&](error_code ec, std::size_t n) {
    read_done = !ec && n == second.size();
  });
  bool write_done = false;
  client->async_write_some(asio::const_buffer(),
                           [&](error_code ec, std::size_t) { write_done = !ec; });
  EXPECT_FALSE(read_done);
  EXPECT_FALSE(write_done);
  io_.run();
  EXPECT_TRUE(read_done);
  EXPECT_TRUE(write_done);
}

TEST_F(TlsStreamTest, AFailedHandshakeCarriesOpenSslsReasonAndLeavesNoQueue) {
  auto client = make_client();
  run([&]() -> awaitable<void> {
    // The "server" is not TLS: it answers the ClientHello with an HTTP error.
    const std::string not_tls = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    auto [wec, wn] = co_await asio::async_write(*server_socket_, asio::buffer(not_tls), kUseTuple);
    EXPECT_FALSE(wec);
    auto [ec] = co_await client->async_handshake(kUseTuple);
    EXPECT_EQ(ec.category(), asio::error::get_ssl_category()) << ec.message();
    EXPECT_EQ(ERR_peek_error(), 0UL);  // nothing left for another connection on this thread
    EXPECT_EQ(tls::describe_handshake_failure(client->native_handle(), "localhost",
                                              static_cast<unsigned long>(ec.value())),
              "TLS handshake with localhost failed: wrong version number");
  });
}

TEST_F(TlsStreamTest, ZeroLengthReadsAndWritesCompleteAtOnce) {
  auto server = make_server();
  auto client = make_client();
  run([&]() -> awaitable<void> {
    co_await handshake(*server, *client);
    auto [rec, rn] = co_await server->async_read_some(asio::mutable_buffer(), kUseTuple);
    EXPECT_FALSE(rec);
    EXPECT_EQ(rn, 0U);
    auto [wec, wn] = co_await client->async_write_some(asio::const_buffer(), kUseTuple);
    EXPECT_FALSE(wec);
    EXPECT_EQ(wn, 0U);
  });
}

}  // namespace
}  // namespace jk::launcher::proxy
