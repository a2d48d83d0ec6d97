#pragma once
// The I/O objects of one connection, typed by their executor: a strand of the server's
// io_context. Held as that concrete type, not as asio::any_io_executor: a strand does not fit
// any_io_executor's small-object buffer, so each asynchronous operation (which copies and
// `prefer`s its I/O object's executor) allocated on the heap, ~30 times per request (measured
// with bench/load.sh's allocation counter, issue 17).
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>

namespace jk::server {

using SessionExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;
using SessionSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, SessionExecutor>;
using SessionTimer =
    boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                      boost::asio::wait_traits<std::chrono::steady_clock>,
                                      SessionExecutor>;

}  // namespace jk::server
