// jk_nsjail_harness: the nsjail jail with a stand-in proxy, for the escape tests until (and
// beside) the real jailkeeper-launch. Every connection that reaches the jail's listener is
// answered "REDIRECTED <original destination>\n" (read with SO_ORIGINAL_DST in this process,
// i.e. outside the jail's network namespace) and closed; DNS is the real stub.
//
//   jk_nsjail_harness [--no-user-namespace] [--use-real-dns] -- COMMAND [ARGS...]
// Exit status: the agent's (128+signal when killed); 125 when the jail could not be built.
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "launcher/jail/nsjail/nsjail.h"
#include "launcher/net/dns_stub.h"
#include "launcher/sys/child_error_pipe.h"
#include "launcher/sys/endpoint.h"
#include "launcher/sys/process.h"

namespace {

using jk::launcher::sys::UniqueFd;

constexpr int kSoOriginalDst =
    80;  // SO_ORIGINAL_DST, linux/netfilter_ipv4.h (clashes with netinet)

std::string original_destination(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getsockopt(fd, SOL_IP, kSoOriginalDst, &address, &length) != 0) {
    return std::string("none (") + std::strerror(errno) + ")";
  }
  auto endpoint = jk::launcher::sys::endpoint_from_sockaddr(
      reinterpret_cast<const sockaddr*>(&address), length);  // NOLINT
  return endpoint ? endpoint->to_string() : endpoint.error().message;
}

void serve_relay(int listener) {
  while (true) {
    UniqueFd connection(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
    if (!connection) return;
    const std::string reply = "REDIRECTED " + original_destination(connection.get()) + "\n";
    (void)::send(connection.get(), reply.data(), reply.size(), MSG_NOSIGNAL);
  }
}

struct Args {
  jk::launcher::jail::NsjailOptions options;
  bool real_dns = false;
  std::vector<std::string> argv;
};

bool parse(int argc, char** argv, Args& args) {
  int i = 1;
  for (; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
    if (std::strcmp(argv[i], "--no-user-namespace") == 0) {
      args.options.user_namespace = false;
    } else if (std::strcmp(argv[i], "--use-real-dns") == 0) {
      args.real_dns = true;
    } else {
      return false;
    }
  }
  for (++i; i < argc; ++i) args.argv.emplace_back(argv[i]);
  return !args.argv.empty();
}

std::vector<std::string> environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse(argc, argv, args)) {
    std::fprintf(stderr,
                 "usage: jk_nsjail_harness [--no-user-namespace] [--use-real-dns] -- cmd\n");
    return 2;
  }
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (const int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&forwarded, s);
  sigprocmask(SIG_BLOCK, &forwarded, nullptr);
  auto child = jk::launcher::jail::start_nsjail(args.options, {args.argv, environment()});
  if (!child) {
    std::fprintf(stderr, "jk_nsjail_harness: %s\n", child.error().message.c_str());
    return jk::launcher::sys::kChildSetupFailed;
  }
  jk::launcher::net::DnsStubOptions dns;
  if (args.real_dns) {
    auto upstream = jk::launcher::net::system_nameserver();
    if (upstream) dns.upstream = *upstream;
  }
  auto stub = jk::launcher::net::DnsStub::start(std::move(child->dns_socket), dns);
  std::thread(serve_relay, child->tcp_listener.get()).detach();
  while (true) {
    siginfo_t info{};
    const int s = sigwaitinfo(&forwarded, &info);
    if (s == SIGCHLD) {
      int status = 0;
      if (::waitpid(child->pid, &status, WNOHANG) == child->pid) {
        ::_exit(jk::launcher::sys::exit_code_from_wait_status(status));
      }
    } else if (s > 0) {
      ::kill(child->pid, s);
    }
  }
}
