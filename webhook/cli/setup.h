#pragma once
// What serve and inject share: loading the config and the node inventory (same code path).
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "webhook/config/config.h"
#include "webhook/inventory/inventory.h"
#include "webhook/kube/client_config.h"

namespace jk::cli {

// --config FILE, or the built-in default config.
Result<config::Config> load_config(const std::optional<std::string>& path);
// --nodes FILE, or an empty inventory (every prediction is "unknown", with a warning).
Result<std::shared_ptr<const inventory::NodeSource>> load_nodes(
    const std::optional<std::string>& path, bool warn_if_missing = true);

// The process environment as the kube config resolver takes it (hermetic in tests).
kube::Environment process_environment();

}  // namespace jk::cli
