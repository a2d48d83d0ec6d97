#include "webhook/inventory/api_watch.h"

namespace jk::inventory {

Result<std::unique_ptr<ApiWatch>> ApiWatch::start(kube::ClientConfig config,
                                                  const kube::HttpClientOptions& http,
                                                  kube::ReflectorSink& sink,
                                                  kube::ReflectorOptions options,
                                                  kube::ReflectorHooks hooks) {
  const std::string what = options.path;
  auto client = kube::HttpClient::create(std::move(config), http);
  if (!client.ok()) return client.error().wrap("watch " + what);
  std::unique_ptr<ApiWatch> watch(new ApiWatch(std::move(client).value()));
  watch->reflector_ = std::make_unique<kube::Reflector>(*watch->client_, sink, std::move(options),
                                                        watch->status_.wrap(std::move(hooks)));
  watch->reflector_->start();
  return watch;
}

ApiWatch::ApiWatch(std::unique_ptr<kube::HttpClient> client)
    : client_(std::move(client)), server_(client_->config().server) {}

ApiWatch::~ApiWatch() {
  if (!reflector_) return;
  reflector_->request_stop();
  client_->cancel();  // a list or connect in flight ends now, not at its timeout
  reflector_->stop();
}

}  // namespace jk::inventory
