#include "launcher/proxy/asio_types.h"

#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace jk::launcher::proxy {

bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::operation_aborted || is_timeout(ec);
}

bool is_timeout(const error_code& ec) { return ec == beast::error::timeout; }

}  // namespace jk::launcher::proxy
