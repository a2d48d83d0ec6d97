#pragma once
// One-shot HTTPS requests with any verb and a body (POST, PUT, PATCH, DELETE) to the Kubernetes
// API, for short-lived writers such as `jailkeeper-webhook certs`. Same trust, authentication
// and timeouts as HttpClient (TLS 1.2+, chain and host verification, bearer token or client
// certificate), but a fresh connection per request: writers make a handful of calls, and
// HttpClient stays a GET/watch client. Non-2xx statuses are values, not errors.
#include <memory>
#include <string>

#include "common/result.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/http_client.h"

namespace jk::kube {

struct ApiRequest {
  std::string method;  // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string path;    // starts with "/api" or "/apis"; base_path is prepended
  std::string body;    // empty: no body
  std::string content_type = "application/json";
};

class ApiRequester {
 public:
  static Result<std::unique_ptr<ApiRequester>> create(ClientConfig config,
                                                      HttpClientOptions options = {});
  ~ApiRequester();
  ApiRequester(const ApiRequester&) = delete;
  ApiRequester& operator=(const ApiRequester&) = delete;

  Result<HttpResponse> send(const ApiRequest& request);
  [[nodiscard]] const ClientConfig& config() const;

 private:
  struct Impl;
  explicit ApiRequester(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jk::kube
