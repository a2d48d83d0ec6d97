#include "launcher/cli/explain.h"

#include "launcher/cli/request_url.h"
#include "launchspec/rules.h"

namespace jk::launcher::cli {

Result<Explanation> explain_request(const config::LaunchOptions& options, std::string_view method,
                                    std::string_view url) {
  if (!is_http_token(method)) {
    return make_error("method \"" + std::string(method) + "\": expected an HTTP method token");
  }
  JK_TRY(const RequestUrl target, parse_request_url(url));
  const launchspec::RequestView request{method, target.host, target.path, target.port};
  const auto judged = launchspec::judge(options.rules(), request);
  Explanation e;
  if (!judged.ok()) {
    e.refused = true;
    e.reason = judged.error().message;
    return e;
  }
  e.target = judged->target;
  const int index = judged->rule;
  if (index >= 0) {
    const config::AllowRule& rule = options.allow[static_cast<std::size_t>(index)];
    e.allowed = true;
    e.rule = rule.rule.text;
    e.origin = rule.origin;
    return e;
  }
  const std::string_view path_only = std::string_view(e.target).substr(0, e.target.find('?'));
  e.suggestion = launchspec::suggest_rule(method, target.host, path_only);
  return e;
}

int print_explanation(const Explanation& e, std::ostream& out) {
  if (e.refused) {
    out << "REFUSE\n"
        << "the proxy answers 400: " << e.reason << "\n";
    return kExitDenied;
  }
  if (e.allowed) {
    out << "ALLOW " << e.rule << "\n"
        << "matched rule from " << e.origin << "\n"
        << "forwarded as " << e.target << "\n";
    return kExitAllowed;
  }
  out << "DENY\n"
      << "no rule matches; to allow it: --allow \"" << e.suggestion << "\"\n";
  return kExitDenied;
}

}  // namespace jk::launcher::cli
