#pragma once
// One list+watch of a resource into a sink, with its own API client and sync status: what the
// live node and namespace sources share. Declare it as the last member of its owner so that it
// stops (and no longer calls the sink) before the sink is destroyed.
#include <memory>
#include <string>

#include "common/result.h"
#include "webhook/inventory/sync_status.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/http_client.h"
#include "webhook/kube/reflector.h"

namespace jk::inventory {

class ApiWatch {
 public:
  // Creates the client (TLS setup errors surface here) and starts the reflector on `sink`.
  static Result<std::unique_ptr<ApiWatch>> start(kube::ClientConfig config,
                                                 const kube::HttpClientOptions& http,
                                                 kube::ReflectorSink& sink,
                                                 kube::ReflectorOptions options,
                                                 kube::ReflectorHooks hooks);
  ~ApiWatch();
  ApiWatch(const ApiWatch&) = delete;
  ApiWatch& operator=(const ApiWatch&) = delete;

  [[nodiscard]] bool ready() const { return status_.ready(); }
  [[nodiscard]] std::string last_error() const { return status_.last_error(); }
  [[nodiscard]] const std::string& server() const { return server_; }

 private:
  explicit ApiWatch(std::unique_ptr<kube::HttpClient> client);

  std::unique_ptr<kube::HttpClient> client_;
  std::string server_;
  SyncStatus status_;
  std::unique_ptr<kube::Reflector> reflector_;
};

}  // namespace jk::inventory
