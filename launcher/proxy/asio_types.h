#pragma once
// Aliases and small helpers shared by the proxy's Asio/Beast code (internal).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <string_view>

namespace jk::launcher::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
template <class T>
using awaitable = asio::awaitable<T>;

// co_await op(..., kUseTuple) -> std::tuple<error_code, ...>: errors as values.
inline constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

inline std::string_view view(beast::string_view s) { return {s.data(), s.size()}; }

template <class Stream>
beast::tcp_stream& lowest(Stream& stream) {
  return beast::get_lowest_layer(stream);
}

// A peer that went away or a timeout: ends the connection without a response.
bool is_disconnect(const error_code& ec);
bool is_timeout(const error_code& ec);

}  // namespace jk::launcher::proxy
