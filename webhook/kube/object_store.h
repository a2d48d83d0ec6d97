#pragma once
// A ReflectorSink that keeps decoded objects by namespace/name and publishes the full set after
// every change. Objects that fail to decode are logged and left out (the rest stay usable).
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/result.h"
#include "webhook/kube/api_status.h"
#include "webhook/kube/reflector.h"

namespace jk::kube {

template <class T>
class ObjectStore final : public ReflectorSink {
 public:
  using Decode = std::function<Result<T>(const nlohmann::json&)>;
  using Publish = std::function<void(std::vector<T>)>;

  ObjectStore(Decode decode, Publish publish)
      : decode_(std::move(decode)), publish_(std::move(publish)) {}

  void replace(const std::vector<nlohmann::json>& items) override {
    objects_.clear();
    for (const auto& item : items) upsert(item);
    publish();
  }

  void apply(EventType type, const nlohmann::json& object) override {
    if (type == EventType::kDeleted) {
      objects_.erase(key_of(object));
    } else {
      upsert(object);
    }
    publish();
  }

 private:
  static std::string key_of(const nlohmann::json& object) {
    return string_at(object, "metadata", "namespace") + "/" + string_at(object, "metadata", "name");
  }

  void upsert(const nlohmann::json& object) {
    auto decoded = decode_(object);
    if (!decoded.ok()) {
      log::warn("object skipped", {{"name", key_of(object)}, {"error", decoded.error().message}});
      return;
    }
    objects_.insert_or_assign(key_of(object), std::move(decoded).value());
  }

  void publish() {
    std::vector<T> all;
    all.reserve(objects_.size());
    for (const auto& [key, value] : objects_) all.push_back(value);
    publish_(std::move(all));
  }

  Decode decode_;
  Publish publish_;
  std::map<std::string, T> objects_;
};

}  // namespace jk::kube
