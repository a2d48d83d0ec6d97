#pragma once
// A small HTTPS client for the Kubernetes API: requests with any verb (GET for lists, POST, PUT,
// PATCH, DELETE for writers such as `jailkeeper-webhook certs`) and streaming GET for watches.
// Synchronous: each call blocks the calling thread (one caller at a time per client). TLS 1.2+,
// chain and host name verification, bearer token (rotating token files) or client certificate,
// HTTP/1.1 keep-alive with reconnect, timeouts on every step. Beast stays in the .cpp.
#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "common/result.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};     // resolve+connect+TLS
  std::chrono::milliseconds request_timeout{std::chrono::seconds(60)};     // a whole GET
  std::chrono::milliseconds watch_idle_timeout{std::chrono::seconds(90)};  // no bytes → error
  std::chrono::milliseconds token_max_age{std::chrono::seconds(60)};
};

struct ApiRequest {
  std::string method;  // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string path;    // starts with "/api" or "/apis"; base_path is prepended
  std::string body;    // empty: no body
  std::string content_type = "application/json";
};

struct HttpResponse {
  unsigned status = 0;
  std::string body;  // for a watch answered 200: empty (the lines went to on_line)
};

class HttpClient {
 public:
  // Called once per line of a watch stream (without the newline); return false to stop.
  using LineHandler = std::function<bool(std::string_view line)>;

  static Result<std::unique_ptr<HttpClient>> create(ClientConfig config,
                                                    HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Non-2xx statuses are values. Answer bodies are limited to 512 MiB for GET (whole lists) and
  // 16 MiB for the other verbs (one object).
  Result<HttpResponse> request(const ApiRequest& request);
  // request({"GET", path, "", ""}).
  Result<HttpResponse> get(const std::string& path);
  // Streams a chunked response line by line until it ends, on_line returns false, or stop is
  // requested (then returns status 200 with no error). Errors: connection, timeouts, idle.
  Result<HttpResponse> watch(const std::string& path, const LineHandler& on_line,
                             std::stop_token stop);

  // For shutdown, from any thread: aborts the call in progress (connect, GET or watch) and makes
  // every later call fail. The owner calls it before joining the thread that uses the client.
  void cancel();

  [[nodiscard]] const ClientConfig& config() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jk::kube
