#include "tests/unit/webhook/kube/fake_apiserver_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace jk::testing {
namespace {

std::string read_line(FILE* in) {
  std::string line;
  for (int c = std::fgetc(in); c != EOF && c != '\n'; c = std::fgetc(in)) {
    line.push_back(static_cast<char>(c));
  }
  return line;
}

std::uint16_t port_after(const std::string& line, const std::string& prefix) {
  if (line.rfind(prefix, 0) != 0) throw std::runtime_error("fake apiserver said: " + line);
  return static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
}

}  // namespace

bool python3_available() { return std::system("command -v python3 >/dev/null 2>&1") == 0; }

FakeApiServerProcess::FakeApiServerProcess(const std::string& state_json, const std::string& token,
                                           const std::vector<std::string>& more_tokens,
                                           bool client_certs) {
  const CertFiles certs = write_server_certs(dir_.path(), ca_, 2);
  const std::string state = dir_.file("state.json");
  write_file(state, state_json);
  const std::string script = std::string(JK_SOURCE_DIR) + "/tests/support/fake_apiserver.py";
  std::vector<std::string> args = {"python3",
                                   script,
                                   "--port",
                                   "0",
                                   "--cert",
                                   certs.cert,
                                   "--key",
                                   certs.key,
                                   "--state",
                                   state,
                                   "--control-port",
                                   "0",
                                   "--exit-on-stdin-eof"};
  if (!token.empty()) args.insert(args.end(), {"--token", token});
  for (const auto& t : more_tokens) args.insert(args.end(), {"--token", t});
  if (client_certs) args.insert(args.end(), {"--client-ca", certs.ca});
  int in_pipe[2];
  int out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) throw std::runtime_error("pipe");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    close(in_pipe[1]);
    close(out_pipe[0]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("python3", argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  stdin_fd_ = in_pipe[1];
  FILE* out = fdopen(out_pipe[0], "r");
  port_ = port_after(read_line(out), "listening ");
  control_port_ = port_after(read_line(out), "control ");
  std::fclose(out);
}

FakeApiServerProcess::~FakeApiServerProcess() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  // The server normally exits at once; never let a stuck shutdown hang the test binary.
  constexpr int kPolls = 200;
  constexpr useconds_t kPollMicros = 10'000;
  int status = 0;
  for (int i = 0; i < kPolls; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) return;
    usleep(kPollMicros);
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
}

std::string FakeApiServerProcess::http(const std::string& request) const {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(control_port_);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("control connect");
  }
  for (std::size_t sent = 0; sent < request.size();) {
    const ssize_t n = write(fd, request.data() + sent, request.size() - sent);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string reply;
  char buf[4096];
  for (ssize_t n = read(fd, buf, sizeof buf); n > 0; n = read(fd, buf, sizeof buf)) {
    reply.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  const auto body = reply.find("\r\n\r\n");
  if (reply.rfind("HTTP/1.1 200", 0) != 0) throw std::runtime_error("control: " + reply);
  return body == std::string::npos ? "" : reply.substr(body + 4);
}

std::string FakeApiServerProcess::control(const std::string& action,
                                          const std::string& body) const {
  return http("POST /control/" + action + " HTTP/1.1\r\nHost: control\r\nConnection: close\r\n" +
              "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n\r\n" + body);
}

std::string FakeApiServerProcess::query(const std::string& what) const {
  return http("GET /control/" + what + " HTTP/1.1\r\nHost: control\r\nConnection: close\r\n\r\n");
}

std::string node_json(const std::string& name, const std::string& os_image,
                      const std::string& zone) {
  return R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name +
         R"(","labels":{"kubernetes.io/hostname":")" + name +
         R"(","topology.kubernetes.io/zone":")" + zone +
         R"("}},"status":{"nodeInfo":{"osImage":")" + os_image + R"(","kernelVersion":"6.1.0"}}})";
}

}  // namespace jk::testing
