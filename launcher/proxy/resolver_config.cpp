#include "launcher/proxy/resolver_config.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace jk::launcher::proxy {
namespace {

constexpr std::size_t kMaxNameservers = 3;

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string_view without_comment(std::string_view line, std::string_view marks) {
  return line.substr(0, line.find_first_of(marks));
}

std::string plain_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return to_lower(name);
}

int clamp_option(std::string_view value, int low, int high, int fallback) {
  const auto parsed = parse_u64(value);
  if (!parsed) return fallback;
  return static_cast<int>(std::clamp<std::uint64_t>(*parsed, static_cast<std::uint64_t>(low),
                                                    static_cast<std::uint64_t>(high)));
}

void apply_option(std::string_view option, ResolverConfig& config) {
  const std::size_t colon = option.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = option.substr(0, colon);
  const std::string_view value = option.substr(colon + 1);
  if (name == "ndots") config.ndots = clamp_option(value, 0, kMaxNdots, config.ndots);
  if (name == "attempts") {
    config.attempts = clamp_option(value, 1, kMaxAttempts, config.attempts);
  }
  if (name == "timeout") {
    const int seconds = clamp_option(value, 1, static_cast<int>(kMaxDnsTimeout.count()),
                                     static_cast<int>(kDefaultDnsTimeout.count()));
    config.timeout = std::chrono::seconds(seconds);
  }
}

Result<std::string> read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (errno == ENOENT) return std::string();
    return make_error("read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

void parse_hosts(std::string_view text, ResolverConfig& config) {
  for (const std::string_view raw : split(text, '\n')) {
    const auto fields = words(without_comment(raw, "#\r"));
    if (fields.size() < 2) continue;
    auto address = launchspec::parse_ip(fields[0]);
    if (!address.ok()) continue;
    for (std::size_t i = 1; i < fields.size(); ++i) {
      auto& list = config.hosts[plain_name(fields[i])];
      if (std::find(list.begin(), list.end(), *address) == list.end()) list.push_back(*address);
    }
  }
}

void parse_resolv_conf(std::string_view text, ResolverConfig& config) {
  for (const std::string_view raw : split(text, '\n')) {
    const auto fields = words(without_comment(raw, "#;\r"));
    if (fields.empty()) continue;
    if (fields[0] == "nameserver" && fields.size() >= 2 &&
        config.nameservers.size() < kMaxNameservers) {
      auto address = launchspec::parse_ip(fields[1]);
      if (address.ok()) config.nameservers.push_back(*address);
    } else if ((fields[0] == "search" || fields[0] == "domain") && fields.size() >= 2) {
      config.search.clear();
      for (std::size_t i = 1; i < fields.size(); ++i)
        config.search.push_back(plain_name(fields[i]));
    } else if (fields[0] == "options") {
      for (std::size_t i = 1; i < fields.size(); ++i) apply_option(fields[i], config);
    }
  }
}

Result<ResolverConfig> read_resolver_config(const std::string& hosts_path,
                                            const std::string& resolv_path) {
  ResolverConfig config;
  JK_TRY(const std::string hosts, read_text(hosts_path));
  JK_TRY(const std::string resolv, read_text(resolv_path));
  parse_hosts(hosts, config);
  parse_resolv_conf(resolv, config);
  return config;
}

std::vector<std::string> candidate_names(const ResolverConfig& config, std::string_view name) {
  const bool rooted = !name.empty() && name.back() == '.';
  const std::string plain = plain_name(name);
  if (rooted) return {plain};
  std::vector<std::string> searched;
  for (const std::string& domain : config.search) {
    if (!domain.empty()) searched.push_back(plain + "." + domain);
  }
  const auto dots = std::count(plain.begin(), plain.end(), '.');
  std::vector<std::string> out;
  if (dots >= config.ndots) out.push_back(plain);
  out.insert(out.end(), searched.begin(), searched.end());
  if (dots < config.ndots) out.push_back(plain);
  return out;
}

}  // namespace jk::launcher::proxy
