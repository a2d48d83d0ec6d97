#pragma once
// Text -> typed option values shared by the flag, environment and YAML readers. Errors name the
// origin: `BOUNDARY_PROXY_PORT: expected a port 1..65535, got "x"`.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/log.h"
#include "common/result.h"
#include "launcher/config/launch_options.h"

namespace jk::launcher::config {

// Go's strconv.ParseBool set (what boundary accepts): 1 t T TRUE true True / 0 f F FALSE false
// False.
Result<bool> parse_bool_value(std::string_view text, std::string_view origin);
Result<std::uint16_t> parse_port_value(std::string_view text, std::string_view origin);
Result<log::Level> parse_log_level_value(std::string_view text, std::string_view origin);
Result<JailChoice> parse_jail_choice_value(std::string_view text, std::string_view origin);

}  // namespace jk::launcher::config
