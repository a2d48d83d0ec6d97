#pragma once
// Streaming relays (internal): an HTTP message whose body is forwarded piece by piece as it
// arrives (fixed buffer: a 1 GiB body does not grow memory, an event stream is not held back),
// and a raw byte tunnel for upgraded connections and relayed DNS over TCP.
#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdint>

#include "launcher/proxy/asio_types.h"

namespace jk::launcher::proxy {

inline constexpr std::size_t kRelayChunkBytes = 64 * 1024;

struct RelayResult {
  error_code read_error;   // from the side the message came from
  error_code write_error;  // towards the other side
  std::uint64_t body_bytes = 0;
};

// Reads the next piece of the body into `chunk`; returns the error (need_buffer is not one).
template <class In, bool kIsRequest>
awaitable<error_code> read_body_piece(In& in, beast::flat_buffer& buffer,
                                      http::parser<kIsRequest, http::buffer_body>& parser,
                                      std::array<char, kRelayChunkBytes>& chunk) {
  auto& body = parser.get().body();
  body.data = chunk.data();
  body.size = chunk.size();
  auto [ec, n] = co_await http::async_read_some(in, buffer, parser, kUseTuple);
  if (ec == http::error::need_buffer) ec = {};
  body.size = chunk.size() - body.size;
  // An empty piece must be null: a zero-length buffer would be serialized as the last chunk.
  body.data = body.size > 0 ? chunk.data() : nullptr;
  body.more = !parser.is_done();
  co_return ec;
}

// Writes the head of the parser's message (already rewritten by the caller) to `out`, then the
// body as it is read from `in`. `idle` bounds every read and write.
template <class Out, class In, bool kIsRequest>
awaitable<RelayResult> relay_message(Out& out, In& in, beast::flat_buffer& in_buffer,
                                     http::parser<kIsRequest, http::buffer_body>& parser,
                                     std::chrono::milliseconds idle) {
  std::array<char, kRelayChunkBytes> chunk{};
  http::serializer<kIsRequest, http::buffer_body> serializer{parser.get()};
  RelayResult result;
  do {
    auto& body = parser.get().body();
    if (!parser.is_done()) {
      lowest(in).expires_after(idle);
      result.read_error = co_await read_body_piece(in, in_buffer, parser, chunk);
      if (result.read_error) co_return result;
    } else {
      body.data = nullptr;
      body.size = 0;
      body.more = false;
    }
    result.body_bytes += body.size;
    lowest(out).expires_after(idle);
    auto [ec, n] = co_await http::async_write(out, serializer, kUseTuple);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      result.write_error = ec;
      co_return result;
    }
  } while (!parser.is_done() || !serializer.is_done());
  co_return result;
}

using Clock = std::chrono::steady_clock;

// Copies bytes from `from` to `to` (first what is already buffered) until either side ends, then
// closes both so the opposite pump ends too. Reads wait without a deadline (the tunnel's idle
// watch decides); each write must finish within `idle`. `activity` is the time of the last byte
// moved, shared with the opposite pump and the watch.
template <class From, class To>
awaitable<void> pump(From& from, To& to, beast::flat_buffer& pending,
                     std::chrono::milliseconds idle, std::uint64_t& bytes,
                     Clock::time_point& activity) {
  std::array<char, kRelayChunkBytes> chunk{};
  if (pending.size() > 0) {
    lowest(to).expires_after(idle);
    auto [ec, n] = co_await asio::async_write(to, pending.data(), kUseTuple);
    pending.consume(n);
    bytes += n;
    if (ec) lowest(from).close();
  }
  while (lowest(from).socket().is_open() && lowest(to).socket().is_open()) {
    lowest(from).expires_never();
    auto [ec, n] = co_await from.async_read_some(asio::buffer(chunk), kUseTuple);
    if (ec) break;
    activity = Clock::now();
    lowest(to).expires_after(idle);
    auto [wec, wn] = co_await asio::async_write(to, asio::buffer(chunk.data(), n), kUseTuple);
    bytes += wn;
    if (wec) break;
    activity = Clock::now();
  }
  lowest(from).close();
  lowest(to).close();
}

// Closes both sides once `idle` has passed since the last byte in either direction.
template <class A, class B>
awaitable<void> close_when_idle(A& a, B& b, std::chrono::milliseconds idle,
                                const Clock::time_point& activity) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_at(activity + idle);
    auto [ec] = co_await timer.async_wait(kUseTuple);
    if (ec) co_return;  // cancelled: the pumps ended first
    if (Clock::now() - activity >= idle) break;
  }
  lowest(a).close();
  lowest(b).close();
}

// A two-way byte tunnel (upgraded connections, DNS over TCP relayed): ends when either side
// ends, or when `idle` passes with no byte in either direction (one-way traffic, such as a
// server pushing over a websocket, keeps it open).
template <class A, class B>
awaitable<void> tunnel(A& a, B& b, beast::flat_buffer& a_pending, beast::flat_buffer& b_pending,
                       std::chrono::milliseconds idle, std::uint64_t& a_to_b,
                       std::uint64_t& b_to_a) {
  using namespace asio::experimental::awaitable_operators;  // NOLINT(google-build-using-namespace)
  Clock::time_point activity = Clock::now();
  co_await ((pump(a, b, a_pending, idle, a_to_b, activity) &&
             pump(b, a, b_pending, idle, b_to_a, activity)) ||
            close_when_idle(a, b, idle, activity));
}

}  // namespace jk::launcher::proxy
