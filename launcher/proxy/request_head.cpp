#include "launcher/proxy/request_head.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "launcher/proxy/hop_by_hop.h"
#include "launcher/proxy/message_rewrite.h"

namespace jk::launcher::proxy {

namespace http = boost::beast::http;

Result<RequestHead> parse_request_head(std::string_view bytes, std::uint32_t max_header_bytes) {
  http::request_parser<http::empty_body> parser;
  parser.header_limit(max_header_bytes);
  parser.eager(false);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec) return make_error("bad request head: " + ec.message());
  if (!parser.is_header_done()) return make_error("incomplete request head");
  const auto& req = parser.get();
  RequestHead head;
  head.method = std::string(req.method_string());
  head.target = std::string(req.target());
  head.version = req.version();
  head.host_header = std::string(req[http::field::host]);
  head.keep_alive = req.keep_alive();
  const std::string upgrade(req[http::field::upgrade]);
  head.websocket_upgrade = is_websocket_upgrade(connection_listed(req), upgrade);
  return head;
}

}  // namespace jk::launcher::proxy
