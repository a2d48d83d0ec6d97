#pragma once
// Merges option layers into the final LaunchOptions and validates every allow rule.
//
// Scalars: flag > environment > YAML > launch spec > default.
// Allow rules, in evaluation order: launch spec rules (the admin policy) first, then the YAML
// `allowlist`, then the `--allow` rules (boundary's order: YAML before flags). `--allow` flags
// replace *_ALLOW from the environment (flag > env); without flags the environment's rules take
// their place. Rule errors name the origin, then the parser's column message:
//   --allow[2]: rule "method=GET, POST": column 12: unexpected ' ': ...
#include "common/result.h"
#include "launcher/config/launch_options.h"
#include "launcher/config/option_layer.h"

namespace jk::launcher::config {

struct Layers {
  OptionLayer flags;
  OptionLayer env;
  OptionLayer yaml;
  OptionLayer spec;
};

Result<LaunchOptions> merge_layers(const Layers& layers);

}  // namespace jk::launcher::config
