#include "webhook/cli/cli.h"

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "common/build_info.h"
#include "common/log.h"
#include "webhook/cli/args.h"
#include "webhook/cli/audit.h"
#include "webhook/cli/certs.h"
#include "webhook/cli/inject.h"
#include "webhook/cli/invocation.h"
#include "webhook/cli/serve.h"
#include "webhook/cli/setup.h"
#include "webhook/inject/mutate.h"

namespace jk::cli {
namespace {

constexpr int kUsageError = 2;

const char* const kTopUsage =
    "jailkeeper-webhook: mutating admission webhook that prepares pods for the jailkeeper jail\n"
    "\n"
    "Usage:\n"
    "  jailkeeper-webhook serve   [--config FILE] [--listen HOST:PORT] [--tls-cert FILE]\n"
    "                             [--tls-key FILE] [--client-ca FILE] [--metrics-listen "
    "HOST:PORT]\n"
    "                             [--nodes FILE]\n"
    "  jailkeeper-webhook inject  -f FILE|- [--config FILE] [--nodes FILE] [--node-os OS]\n"
    "                             [-o yaml|json]\n"
    "  jailkeeper-webhook audit   [--kubeconfig FILE] [-n NAMESPACE | -A] [-o table|json]\n"
    "  jailkeeper-webhook certs   --namespace NS --service NAME --secret NAME --webhook-config "
    "NAME\n"
    "                             [--validity DAYS] [--renew-before DAYS] [--delete] ...\n"
    "  jailkeeper-webhook version\n"
    "\n"
    "Run 'jailkeeper-webhook COMMAND --help' for the flags of a command.\n";

const std::vector<FlagSpec> kInjectFlags = {
    {"filename", "f", true, "FILE|-",
     "manifests to inject (YAML or JSON, multi-document); - is stdin"},
    {"config", "", true, "FILE", "admin config (YAML); default: the built-in default config"},
    {"nodes", "", true, "FILE", "node inventory: NodeList JSON (kubectl get nodes -o json)"},
    {"node-os", "", true, "OS", "skip prediction: amazon-linux|bottlerocket|fargate|other"},
    {"namespace", "n", true, "NS", "namespace for objects that name none (default: default)"},
    {"output", "o", true, "FORMAT", "yaml (default) or json"},
};

int run_version() {
  std::cout << "jailkeeper-webhook " << build_info::version() << " (revision "
            << build_info::revision() << ", launch spec v" << launchspec::kVersion << ")\n";
  return 0;
}

Result<InjectOptions> inject_options(const Args& args) {
  InjectOptions o;
  const auto file = args.get("filename");
  if (!file) return make_error("-f FILE (or -f - for stdin) is required");
  o.input = *file;
  o.output = args.get_or("output", "yaml");
  if (o.output != "yaml" && o.output != "json") {
    return make_error("-o: expected yaml or json, got \"" + o.output + "\"");
  }
  o.namespace_name = args.get_or("namespace", "");
  if (const auto os = args.get("node-os")) {
    o.forced_os = policy::parse_os(*os);
    if (!o.forced_os) {
      return make_error("--node-os: expected amazon-linux, bottlerocket, fargate or other, got \"" +
                        *os + "\"");
    }
  }
  return o;
}

int run_inject_command(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, kInjectFlags);
  if (args.ok() && args->has("help")) {
    std::cout << as_invoked(usage("jailkeeper-webhook inject -f FILE|- [flags]", kInjectFlags));
    return 0;
  }
  auto opts = args.ok() ? inject_options(*args) : Result<InjectOptions>(args.error());
  if (!opts.ok()) {
    std::cerr << program_name() << " inject: " << opts.error().message << "\n";
    return kUsageError;
  }
  log::set_level(log::Level::kWarn);  // the report on stderr is the output; logs only on trouble
  auto cfg = load_config(args->get("config"));
  if (!cfg.ok()) {
    std::cerr << program_name() << " inject: " << cfg.error().message << "\n";
    return kUsageError;
  }
  auto nodes = load_nodes(args->get("nodes"), !opts->forced_os);
  if (!nodes.ok()) {
    std::cerr << program_name() << " inject: " << nodes.error().message << "\n";
    return kUsageError;
  }
  const inject::Snapshot snapshot{std::make_shared<const policy::PolicyConfig>(cfg->policy),
                                  (*nodes)->snapshot(), nullptr};
  if (opts->input == "-") return run_inject(*opts, std::cin, std::cout, std::cerr, snapshot);
  std::ifstream in(opts->input, std::ios::binary);
  if (!in) {
    std::cerr << "jailkeeper-webhook inject: cannot open " << opts->input << "\n";
    return kUsageError;
  }
  return run_inject(*opts, in, std::cout, std::cerr, snapshot);
}

}  // namespace

int run(int argc, char** argv) {
  set_program_name(argc > 0 && started_as_kubectl_plugin(argv[0]));
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << as_invoked(kTopUsage);
    return args.empty() ? kUsageError : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "serve") return run_serve(args);
  if (command == "inject") return run_inject_command(args);
  if (command == "audit") return run_audit(args);
  if (command == "certs") return run_certs(args);
  if (command == "version" || command == "--version") return run_version();
  std::cerr << program_name() << ": unknown command \"" << command << "\"\n\n"
            << as_invoked(kTopUsage);
  return kUsageError;
}

}  // namespace jk::cli
