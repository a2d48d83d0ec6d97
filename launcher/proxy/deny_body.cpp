#include "launcher/proxy/deny_body.h"

#include "launchspec/rules.h"

namespace jk::launcher::proxy {

std::string deny_body(std::string_view method, std::string_view host, std::string_view path) {
  const std::string_view path_only = path.substr(0, path.find('?'));
  const std::string host_rule = launchspec::suggest_rule("", host, "");
  const std::string exact_rule = launchspec::suggest_rule(method, host, path_only);
  std::string body = "Request Blocked by Boundary (jailkeeper)\n\n";
  body += "Request: " + std::string(method) + " " + std::string(path) + "\n";
  body += "Host: " + std::string(host) + "\n\n";
  body += "To allow this request, add one of these rules:\n";
  body += "  --allow \"" + host_rule + "\"   # every method and path on this host\n";
  body += "  --allow \"" + exact_rule + "\"   # only this method and path\n";
  return body;
}

}  // namespace jk::launcher::proxy
