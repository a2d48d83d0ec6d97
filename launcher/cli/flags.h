#pragma once
// The launcher's flags (boundary's names): --allow RULE (repeatable), --config FILE,
// --jail-type TYPE, --no-user-namespace[=BOOL], --proxy-port PORT, --log-level LEVEL,
// --log-dir DIR, --use-real-dns[=BOOL], --help. Values as `--name VALUE` or `--name=VALUE`.
// Everything after `--` is the command; other arguments are positional. Unknown flags and
// missing or bad values are errors naming the flag. `--allow` origins are 0-based like YAML
// list indexes: the first flag is `--allow[0]`.
#include <string>
#include <vector>

#include "common/result.h"
#include "launcher/config/option_layer.h"

namespace jk::launcher::cli {

struct ParsedArgs {
  config::OptionLayer flags;
  std::vector<std::string> positional;
  std::vector<std::string> command;  // after `--`
  bool has_separator = false;
  bool help = false;
};

Result<ParsedArgs> parse_flags(const std::vector<std::string>& args);

// The flag list for --help.
extern const char* const kFlagsHelp;

}  // namespace jk::launcher::cli
