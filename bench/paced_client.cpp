// Open-loop HTTPS load at a fixed rate, for the latency of a server that is not saturated
// (bench/load.sh "half rate"). wrk paces only through its millisecond delay() timer, so a
// paced wrk sends each millisecond's requests together: at 8,000 requests/s, bursts of ~8 that
// queue on the server's one core, and the figure measures the bursts as much as the server.
// Here request k is due at start + k / rate exactly (a timerfd-backed steady_timer, microsecond
// precision) and goes out on an idle keep-alive connection at that moment. Its latency is
// counted from the moment it was due, not from when it was written: a request that had to wait
// for a free connection is charged that wait (no coordinated omission).
//
// Usage: paced_client URL BODY_FILE RATE SECONDS CONNECTIONS
//   URL: https://HOST:PORT/PATH (loopback benchmarks: the certificate is not verified)
// Prints one line in post.lua's format: "JKBENCH requests=... p99_us=... non2xx=...";
// socket_errors counts every request not answered (lost connection, or none left by the end).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Url {
  std::string host;
  std::string port;
  std::string path;
};

bool parse_url(const std::string& url, Url& out) {
  const std::string scheme = "https://";
  if (url.rfind(scheme, 0) != 0) return false;
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) return false;
  out.host = authority.substr(0, colon);
  out.port = authority.substr(colon + 1);
  return !out.host.empty() && !out.port.empty();
}

class Load;

// One keep-alive connection: at most one request in flight.
class Connection {
 public:
  Connection(asio::io_context& io, asio::ssl::context& tls, Load& load)
      : stream_(io, tls), load_(load) {}
  void open(const tcp::resolver::results_type& endpoints);
  void send(Clock::time_point due);
  [[nodiscard]] bool idle() const { return open_ && !busy_; }
  void close() {
    boost::system::error_code ignored;
    stream_.next_layer().close(ignored);
  }

 private:
  void on_response(const boost::system::error_code& ec);

  asio::ssl::stream<tcp::socket> stream_;
  Load& load_;
  boost::beast::flat_buffer buffer_;
  http::response<http::string_body> response_;
  Clock::time_point due_{};
  bool open_ = false;
  bool busy_ = false;
};

class Load {
 public:
  Load(asio::io_context& io, std::string request, double rate, double seconds)
      : timer_(io),
        deadline_(io),
        request_(std::move(request)),
        period_(
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate))),
        total_(static_cast<std::size_t>(rate * seconds)) {
    latencies_us_.reserve(total_);
  }

  void start(std::vector<std::unique_ptr<Connection>>& connections) {
    connections_ = &connections;
    start_ = Clock::now() + std::chrono::milliseconds(10);
    arm();
    // A server that stops answering ends the run (its requests count as errors), not the bench.
    deadline_.expires_at(start_ + period_ * static_cast<long>(total_) + std::chrono::seconds(10));
    deadline_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      for (auto& c : *connections_) c->close();
      timer_.cancel();
    });
  }

  [[nodiscard]] const std::string& request() const { return request_; }

  // A request ended: answered (`ok`, with its HTTP status) or lost with its connection.
  void done(Clock::time_point due, bool ok, unsigned status) {
    const auto now = Clock::now();
    if (ok) {
      last_ = now;
      latencies_us_.push_back(std::chrono::duration<double, std::micro>(now - due).count());
      if (status != 200) ++non2xx_;
    } else {
      ++socket_errors_;
    }
    if (latencies_us_.size() + socket_errors_ == total_) {
      deadline_.cancel();
      return;
    }
    dispatch();
  }

  void report() const {
    std::vector<double> l = latencies_us_;
    std::sort(l.begin(), l.end());
    const auto pct = [&](double p) {
      if (l.empty()) return 0.0;
      const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(l.size() - 1) + 0.5);
      return l[std::min(i, l.size() - 1)];
    };
    const double secs = std::chrono::duration<double>(last_ - start_).count();
    std::printf(
        "JKBENCH requests=%zu seconds=%.3f rps=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f "
        "p999_us=%.0f max_us=%.0f socket_errors=%zu non2xx=%zu\n",
        l.size(), secs, secs > 0 ? static_cast<double>(l.size()) / secs : 0.0, pct(50), pct(90),
        pct(99), pct(99.9), l.empty() ? 0.0 : l.back(), total_ - l.size(), non2xx_);
  }

 private:
  // Wakes at the next due time, queues every request due by now, hands them to idle connections.
  void arm() {
    if (scheduled_ == total_) return;
    timer_.expires_at(start_ + period_ * static_cast<long>(scheduled_));
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      const auto now = Clock::now();
      while (scheduled_ < total_) {
        const auto due = start_ + period_ * static_cast<long>(scheduled_);
        if (due > now) break;
        pending_.push_back(due);
        ++scheduled_;
      }
      dispatch();
      arm();
    });
  }

  void dispatch() {
    for (auto& c : *connections_) {
      if (pending_.empty()) return;
      if (!c->idle()) continue;
      const auto due = pending_.front();
      pending_.pop_front();
      c->send(due);
    }
  }

  asio::steady_timer timer_;
  asio::steady_timer deadline_;
  std::string request_;
  Clock::duration period_;
  std::size_t total_;
  std::size_t scheduled_ = 0;
  std::deque<Clock::time_point> pending_;
  std::vector<std::unique_ptr<Connection>>* connections_ = nullptr;
  std::vector<double> latencies_us_;
  std::size_t socket_errors_ = 0;
  std::size_t non2xx_ = 0;
  Clock::time_point start_{};
  Clock::time_point last_{};
};

void Connection::open(const tcp::resolver::results_type& endpoints) {
  asio::connect(stream_.next_layer(), endpoints);
  stream_.next_layer().set_option(tcp::no_delay(true));
  stream_.handshake(asio::ssl::stream_base::client);
  open_ = true;
}

void Connection::send(Clock::time_point due) {
  busy_ = true;
  due_ = due;
  asio::async_write(stream_, asio::buffer(load_.request()),
                    [this](const boost::system::error_code& ec, std::size_t) {
                      if (ec) return on_response(ec);
                      response_ = {};
                      http::async_read(stream_, buffer_, response_,
                                       [this](const boost::system::error_code& e, std::size_t) {
                                         on_response(e);
                                       });
                    });
}

void Connection::on_response(const boost::system::error_code& ec) {
  busy_ = false;
  if (ec) {
    open_ = false;
    load_.done(due_, false, 0);
    return;
  }
  load_.done(due_, true, response_.result_int());
}

int usage() {
  std::fprintf(stderr,
               "usage: paced_client https://HOST:PORT/PATH BODY_FILE RATE SECONDS CONNECTIONS\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) return usage();
  Url url;
  if (!parse_url(argv[1], url)) return usage();
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "paced_client: cannot read %s\n", argv[2]);
    return 2;
  }
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const double rate = std::atof(argv[3]);
  const double seconds = std::atof(argv[4]);
  const int connections = std::atoi(argv[5]);
  if (rate <= 0 || seconds <= 0 || connections <= 0) return usage();

  std::ostringstream request;
  request << "POST " << url.path << " HTTP/1.1\r\nHost: " << url.host << ":" << url.port
          << "\r\nContent-Type: application/json\r\nContent-Length: " << body.size() << "\r\n\r\n"
          << body;
  try {
    asio::io_context io;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);  // a throwaway certificate on loopback
    Load load(io, request.str(), rate, seconds);
    tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(url.host, url.port);
    std::vector<std::unique_ptr<Connection>> conns;
    for (int i = 0; i < connections; ++i) {
      conns.push_back(std::make_unique<Connection>(io, tls, load));
      conns.back()->open(endpoints);
    }
    load.start(conns);
    io.run();
    load.report();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "paced_client: %s\n", e.what());
    return 1;
  }
  return 0;
}
