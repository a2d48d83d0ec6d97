#include "launcher/cli/flags.h"

#include <optional>
#include <string_view>

#include "launcher/config/value_parsers.h"

namespace jk::launcher::cli {

const char* const kFlagsHelp =
    "Flags (environment variable; YAML key):\n"
    "  --allow RULE             allow rule, repeatable (JAILKEEPER_ALLOW/BOUNDARY_ALLOW, one rule\n"
    "                           per line; allowlist)\n"
    "  --config FILE            YAML config file (JAILKEEPER_CONFIG/BOUNDARY_CONFIG)\n"
    "  --jail-type TYPE         nsjail|landjail|seccompjail|auto, default auto\n"
    "                           (JAILKEEPER_JAIL_TYPE/BOUNDARY_JAIL_TYPE; jail_type)\n"
    "  --no-user-namespace      do not create a user namespace\n"
    "                           (JAILKEEPER_NO_USER_NAMESPACE/BOUNDARY_NO_USER_NAMESPACE)\n"
    "  --proxy-port PORT        proxy port, default 8080 (JAILKEEPER_PROXY_PORT/PROXY_PORT)\n"
    "  --log-level LEVEL        error|warn|info|debug, default warn\n"
    "                           (JAILKEEPER_LOG_LEVEL/BOUNDARY_LOG_LEVEL)\n"
    "  --log-dir DIR            write logs there instead of stderr\n"
    "                           (JAILKEEPER_LOG_DIR/BOUNDARY_LOG_DIR)\n"
    "  --use-real-dns           resolve with the real DNS servers\n"
    "                           (JAILKEEPER_USE_REAL_DNS/BOUNDARY_USE_REAL_DNS)\n"
    "  --allow-internal PREFIX  let the proxy connect to this internal address prefix (loopback,\n"
    "                           link-local, metadata, the pod's own), repeatable; refused by\n"
    "                           default (JAILKEEPER_ALLOW_INTERNAL, comma list; allow_internal)\n"
    "Precedence: flag > JAILKEEPER_* > BOUNDARY_* > YAML > launch spec (JAILKEEPER_SPEC) > "
    "default.\n"
    "Rule order: launch spec, then YAML allowlist, then --allow (or the *_ALLOW variable).\n";

namespace {

class FlagReader {
 public:
  explicit FlagReader(const std::vector<std::string>& args) : args_(args) {}

  Result<ParsedArgs> read() {
    for (i_ = 0; i_ < args_.size(); ++i_) {
      const std::string& a = args_[i_];
      if (a == "--") {
        out_.has_separator = true;
        out_.command.assign(args_.begin() + static_cast<std::ptrdiff_t>(i_) + 1, args_.end());
        break;
      }
      if (a.size() < 2 || a[0] != '-') {
        out_.positional.push_back(a);
        continue;
      }
      JK_TRY_STATUS(flag(a));
    }
    return std::move(out_);
  }

 private:
  Status flag(const std::string& arg) {
    const std::size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    std::optional<std::string> inline_value;
    if (eq != std::string::npos) inline_value = arg.substr(eq + 1);
    if (name == "--help" || name == "-h") {
      out_.help = true;
      return {};
    }
    if (name == "--no-user-namespace")
      return boolean(name, inline_value, out_.flags.no_user_namespace);
    if (name == "--use-real-dns") return boolean(name, inline_value, out_.flags.use_real_dns);
    JK_TRY(const std::string value, take_value(name, inline_value));
    return valued(name, value);
  }

  Status valued(const std::string& name, const std::string& value) {
    config::OptionLayer& f = out_.flags;
    if (name == "--allow") {
      if (!f.allow) f.allow.emplace();
      f.allow->push_back({value, "--allow[" + std::to_string(f.allow->size()) + "]"});
      return {};
    }
    if (name == "--allow-internal") {
      if (!f.allow_internal) f.allow_internal.emplace();
      f.allow_internal->push_back(
          {value, "--allow-internal[" + std::to_string(f.allow_internal->size()) + "]"});
      return {};
    }
    if (name == "--config") return store(f.config_path, Result<std::string>(value));
    if (name == "--jail-type")
      return store(f.jail_type, config::parse_jail_choice_value(value, name));
    if (name == "--proxy-port") return store(f.proxy_port, config::parse_port_value(value, name));
    if (name == "--log-level")
      return store(f.log_level, config::parse_log_level_value(value, name));
    if (name == "--log-dir") return store(f.log_dir, Result<std::string>(value));
    return make_error("unknown flag " + name);
  }

  template <typename T>
  static Status store(std::optional<T>& out, Result<T> value) {
    if (!value.ok()) return value.error();
    out = std::move(value).value();
    return {};
  }

  Status boolean(const std::string& name, const std::optional<std::string>& inline_value,
                 std::optional<bool>& out) {
    if (!inline_value) {
      out = true;
      return {};
    }
    return store(out, config::parse_bool_value(*inline_value, name));
  }

  Result<std::string> take_value(const std::string& name, const std::optional<std::string>& v) {
    if (v) return *v;
    if (!known_valued(name)) return make_error("unknown flag " + name);
    if (i_ + 1 >= args_.size()) return make_error(name + ": missing value");
    return args_[++i_];
  }

  static bool known_valued(std::string_view name) {
    for (const std::string_view n : {"--allow", "--allow-internal", "--config", "--jail-type",
                                     "--proxy-port", "--log-level", "--log-dir"}) {
      if (name == n) return true;
    }
    return false;
  }

  const std::vector<std::string>& args_;
  std::size_t i_ = 0;
  ParsedArgs out_;
};

}  // namespace

Result<ParsedArgs> parse_flags(const std::vector<std::string>& args) {
  return FlagReader(args).read();
}

}  // namespace jk::launcher::cli
