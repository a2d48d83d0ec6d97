// jailkeeper-launch: runs an agent in a network jail behind a filtering proxy. All logic lives
// in the libraries; see docs/ARCHITECTURE.md.
#include <iostream>
#include <string>
#include <vector>

#include "launcher/cli/cli.h"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace {

jk::launcher::config::Environment read_environment() {
  jk::launcher::config::Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::size_t eq = entry.find('=');
    if (eq != std::string::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return jk::launcher::cli::run(args, read_environment(), std::cout, std::cerr);
}
