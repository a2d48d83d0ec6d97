#include "launcher/jail/seccompjail/broker.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <thread>

#include "common/log.h"
#include "launcher/jail/seccompjail/message.h"
#include "launcher/sys/capabilities.h"
#include "launcher/sys/event.h"
#include "launcher/sys/process.h"
#include "launcher/sys/socket.h"

namespace jk::launcher::jail {
namespace {

constexpr std::size_t kMaxBatch = 1024;  // sendmmsg's vlen is capped at UIO_MAXIOV
// Calls that may block (blocking sockets) run on their own thread, at most this many at once
// (each holds at most kMaxSendBytes copied from the agent): one more fails with ENOBUFS.
constexpr int kMaxBlockingCalls = 32;
constexpr std::size_t kSunPathMax = sizeof(sockaddr_un::sun_path);

// The agent's socket, fetched for one notification.
struct Pending {
  sys::Notification n;
  RemoteProcess process;
  sys::UniqueFd pidfd;
  sys::UniqueFd socket;  // the launcher's descriptor for the agent's socket (same open file)
  sys::SocketKind kind;
  [[nodiscard]] int target_fd() const { return static_cast<int>(n.args[0]); }
};

std::string endpoint_bytes(const sys::Endpoint& e) {
  return {reinterpret_cast<const char*>(&e.address), e.length};  // NOLINT: the sockaddr API
}

// A relative AF_UNIX path is resolved against the agent's working directory, not ours.
Result<std::string> unix_name_for(pid_t pid, const std::string& raw) {
  const std::size_t path_at = offsetof(sockaddr_un, sun_path);
  if (raw.size() <= path_at || raw[path_at] == '/' || raw[path_at] == '\0') return raw;
  const std::string relative(raw.c_str() + path_at);
  const std::string path = "/proc/" + std::to_string(pid) + "/cwd/" + relative;
  if (path.size() >= kSunPathMax) return make_error("relative unix path too long to resolve");
  return raw.substr(0, path_at) + path + '\0';
}

}  // namespace

class Broker::Core : public std::enable_shared_from_this<Broker::Core> {
 public:
  Core(sys::UniqueFd listener, BrokerOptions options)
      : listener_(std::move(listener)), options_(std::move(options)) {}

  const sys::NotifyListener& listener() const { return listener_; }

  void handle(const sys::Notification& n) {
    switch (n.syscall) {
      case SYS_connect:
        return with_socket(n, &Core::on_connect);
      case SYS_sendto:
        return with_socket(n, &Core::on_sendto);
      case SYS_sendmsg:
        return with_socket(n, &Core::on_sendmsg);
      case SYS_sendmmsg:
        return with_socket(n, &Core::on_sendmmsg);
      case SYS_listen:
        return with_socket(n, &Core::on_listen);
      default:
        return answer(n.id, -ENOSYS);
    }
  }

 private:
  void answer(std::uint64_t id, std::int64_t result) const {
    const Status s = result < 0 ? listener_.respond_error(id, static_cast<int>(-result))
                                : listener_.respond_value(id, result);
    if (!s.ok()) log::warn("seccompjail: answer failed", {{"error", s.error().message}});
  }

  void refuse(const Pending& p, int error, const std::string& reason) const {
    log::warn("seccompjail: refused", {{"pid", p.n.pid}, {"reason", reason}});
    answer(p.n.id, -error);
  }

  // Fetches the agent's socket (argument 0) and its kind, then calls `next`.
  void with_socket(const sys::Notification& n, void (Core::*next)(Pending&)) {
    Pending p{n, {}, {}, {}, {}};
    auto pidfd = sys::open_process_of_thread(n.pid);
    if (!pidfd.ok()) return answer(n.id, -ESRCH);
    p.pidfd = std::move(pidfd).value();
    p.process = RemoteProcess{n.pid, p.pidfd.get()};
    auto socket = sys::fetch_fd(p.pidfd.get(), p.target_fd());
    if (!socket.ok()) return answer(n.id, -EBADF);
    p.socket = std::move(socket).value();
    auto kind = sys::socket_kind(p.socket.get());
    if (!kind.ok()) return answer(n.id, -ENOTSOCK);
    p.kind = *kind;
    (this->*next)(p);
  }

  // Runs `work` now, or on its own thread when it may block (a blocking socket), so one slow
  // send does not stall every other connection of the agent; at most kMaxBlockingCalls such
  // threads exist: past that the call fails with ENOBUFS (the agent's, not the pod's problem).
  void dispatch(const Pending& p, int flags, std::function<void()> work) {
    if (sys::is_nonblocking(p.socket.get()) || (flags & MSG_DONTWAIT) != 0) return work();
    if (blocking_calls_.fetch_add(1) >= kMaxBlockingCalls) {
      blocking_calls_.fetch_sub(1);
      return refuse(p, ENOBUFS,
                    "more than " + std::to_string(kMaxBlockingCalls) + " blocking calls in flight");
    }
    std::thread([self = shared_from_this(), work = std::move(work)] {
      work();
      self->blocking_calls_.fetch_sub(1);
    }).detach();
  }

  // Inbound connections from outside the jail are not allowed (an agent-run server would be a
  // channel around the proxy); AF_UNIX listeners (tmux, ssh-agent) are local IPC and allowed.
  void on_listen(Pending& p) {
    if (p.kind.domain != AF_UNIX) {
      return refuse(p, EACCES, "listen on a network socket (no inbound connections in the jail)");
    }
    answer(p.n.id, sys::listen_raw(p.socket.get(), static_cast<int>(p.n.args[1])));
  }

  void on_connect(Pending& p) {
    const std::uint64_t length = p.n.args[2];
    if (length > sizeof(sockaddr_storage)) return answer(p.n.id, -EINVAL);
    auto bytes = sys::read_memory(p.n.pid, p.n.args[1], length);
    if (!bytes.ok()) return answer(p.n.id, -EFAULT);
    if (!listener_.id_valid(p.n.id)) return;
    auto target = parse_target(*bytes);
    if (!target.ok()) return answer(p.n.id, -EINVAL);
    const Verdict v = decide(options_.policy, Request{Call::kConnect, p.kind, true, *target});
    switch (v.action) {
      case Action::kRedirectToProxy:
        return redirect(p, *target->endpoint);
      case Action::kDnsStub:
        return connect_to_stub(p);
      case Action::kPassThrough:
        return connect_through(p, target->raw);
      case Action::kRefuse:
        return refuse(p, v.error, v.reason);
    }
  }

  void redirect(Pending& p, const sys::Endpoint& original) {
    if (sys::is_connected(p.socket.get())) return answer(p.n.id, -EISCONN);
    auto ours = options_.connector ? options_.connector(original, p.kind.domain)
                                   : Result<sys::UniqueFd>(make_error("no connector"));
    if (!ours.ok()) {
      log::error("seccompjail: proxy connection failed",
                 {{"to", original.to_string()}, {"error", ours.error().message}});
      return answer(p.n.id, -ECONNREFUSED);
    }
    const auto cloexec_flag = sys::remote_fd_cloexec(p.n.pid, p.target_fd());
    const bool cloexec = cloexec_flag.ok() && *cloexec_flag;
    sys::copy_tcp_options(p.socket.get(), ours->get());
    Status s = sys::copy_nonblocking(p.socket.get(), ours->get());
    if (s.ok()) s = listener_.install_fd(p.n.id, ours->get(), p.target_fd(), cloexec);
    if (!s.ok()) {
      log::warn("seccompjail: install failed", {{"error", s.error().message}});
      return answer(p.n.id, -ECONNREFUSED);
    }
    log::debug("seccompjail: redirected", {{"pid", p.n.pid}, {"to", original.to_string()}});
    answer(p.n.id, 0);
  }

  Result<std::string> stub_name(int domain) const {
    if (!options_.dns_stub) return make_error("no DNS stub");
    JK_TRY(const sys::Endpoint e, endpoint_for_domain(*options_.dns_stub, domain));
    return endpoint_bytes(e);
  }

  void connect_to_stub(Pending& p) {
    auto name = stub_name(p.kind.domain);
    if (!name.ok()) return refuse(p, EACCES, "dns: " + name.error().message);
    answer(p.n.id, sys::connect_raw(p.socket.get(), *name));
  }

  void connect_through(Pending& p, const std::string& raw) {
    auto name = p.kind.domain == AF_UNIX ? unix_name_for(p.n.pid, raw) : Result<std::string>(raw);
    if (!name.ok()) return answer(p.n.id, -ENAMETOOLONG);
    auto shared = std::make_shared<Pending>(std::move(p));
    dispatch(*shared, 0, [this, shared, address = *name] {
      answer(shared->n.id, sys::connect_raw(shared->socket.get(), address));
    });
  }

  void on_sendto(Pending& p) {
    const auto& a = p.n.args;
    auto message = copy_sendto(p.process, a[1], a[2], a[4], a[5]);
    if (!message.ok()) return answer(p.n.id, -EFAULT);
    send_for_agent(p, std::move(message).value(), static_cast<int>(a[3]));
  }

  void on_sendmsg(Pending& p) {
    auto message = copy_msghdr(p.process, p.n.args[1]);
    if (!message.ok()) return answer(p.n.id, -EFAULT);
    send_for_agent(p, std::move(message).value(), static_cast<int>(p.n.args[2]));
  }

  // The name to send with (nullopt: none), or the errno to answer and why.
  struct SendName {
    std::optional<std::string> name;
    int error = 0;
    std::string reason;
  };

  static SendName named(std::optional<std::string> name) {
    return SendName{std::move(name), 0, std::string()};
  }

  static SendName refused(int error, std::string reason) {
    return SendName{std::nullopt, error, std::move(reason)};
  }

  SendName send_name(const Pending& p, const CopiedMessage& m, int flags) const {
    Request r{Call::kSend, p.kind, m.name.has_value(), {}, (flags & MSG_FASTOPEN) != 0};
    if (m.name) {
      auto target = parse_target(std::as_bytes(std::span(m.name->data(), m.name->size())));
      if (!target.ok()) return refused(EINVAL, target.error().message);
      r.target = std::move(target).value();
    }
    const Verdict v = decide(options_.policy, r);
    if (v.action == Action::kDnsStub) {
      auto name = stub_name(p.kind.domain);
      if (!name.ok()) return refused(EACCES, "dns: " + name.error().message);
      return named(*name);
    }
    if (v.action != Action::kPassThrough) {
      return refused(v.error == 0 ? EACCES : v.error, v.reason);
    }
    const bool ip = p.kind.domain == AF_INET || p.kind.domain == AF_INET6;
    if (ip && p.kind.type == SOCK_STREAM)
      return named(std::nullopt);  // TCP ignores it (not fast open)
    if (p.kind.domain == AF_UNIX && m.name) {
      auto name = unix_name_for(p.n.pid, *m.name);
      if (!name.ok()) return refused(ENAMETOOLONG, name.error().message);
      return named(*name);
    }
    return named(m.name);
  }

  void send_for_agent(Pending& p, CopiedMessage message, int flags) {
    if (!listener_.id_valid(p.n.id)) return;
    SendName name = send_name(p, message, flags);
    if (name.error != 0) return refuse(p, name.error, name.reason);
    auto shared = std::make_shared<Pending>(std::move(p));
    auto copied = std::make_shared<CopiedMessage>(std::move(message));
    dispatch(*shared, flags, [this, shared, copied, name = std::move(name.name), flags] {
      answer(shared->n.id, send_copied(shared->socket.get(), *copied, name, flags));
    });
  }

  void on_sendmmsg(Pending& p) {
    const std::uint64_t count = std::min<std::uint64_t>(p.n.args[2], kMaxBatch);
    const int flags = static_cast<int>(p.n.args[3]);
    auto shared = std::make_shared<Pending>(std::move(p));
    dispatch(*shared, flags, [this, shared, count, flags] { send_batch(*shared, count, flags); });
  }

  void send_batch(Pending& p, std::uint64_t count, int flags) {
    std::int64_t sent = 0;
    std::int64_t first_error = 0;
    for (std::uint64_t i = 0; i < count && first_error == 0; ++i) {
      const std::uint64_t at = p.n.args[1] + i * sizeof(mmsghdr);
      const std::int64_t r = send_one_of_batch(p, at, flags);
      if (r < 0) first_error = r;
      if (r < 0) break;
      const auto length = static_cast<unsigned int>(r);
      if (!sys::write_memory(p.n.pid, at + offsetof(mmsghdr, msg_len), &length, sizeof(length))
               .ok()) {
        first_error = -EFAULT;
      } else {
        ++sent;
      }
    }
    answer(p.n.id, sent > 0 ? sent : first_error);
  }

  std::int64_t send_one_of_batch(const Pending& p, std::uint64_t at, int flags) {
    auto message = copy_msghdr(p.process, at);
    if (!message.ok()) return -EFAULT;
    if (!listener_.id_valid(p.n.id)) return -EINTR;
    const SendName name = send_name(p, *message, flags);
    if (name.error != 0) {
      log::warn("seccompjail: refused", {{"pid", p.n.pid}, {"reason", name.reason}});
      return -name.error;
    }
    return send_copied(p.socket.get(), *message, name.name, flags);
  }

  sys::NotifyListener listener_;
  BrokerOptions options_;
  std::atomic<int> blocking_calls_{0};
};

Broker::Broker(sys::UniqueFd listener, BrokerOptions options)
    : core_(std::make_shared<Core>(std::move(listener), std::move(options))) {
  auto event = sys::make_event();
  if (event.ok()) stop_event_ = std::move(event).value();
}

Broker::~Broker() = default;

void Broker::stop() {
  if (stop_event_) sys::signal_event(stop_event_.get());
}

void Broker::handle(const sys::Notification& notification) { core_->handle(notification); }

Status Broker::run() {
  // Everything this thread (and the threads it starts) does for the agent, it does with no
  // capability, like the agent: a root launcher must not open an AF_UNIX socket the agent could
  // not (a 0700 directory of another user, CAP_DAC_OVERRIDE).
  JK_TRY_STATUS(sys::drop_thread_capabilities());
  std::array<pollfd, 2> fds{pollfd{core_->listener().fd(), POLLIN, 0},
                            pollfd{stop_event_.get(), POLLIN, 0}};
  for (;;) {
    JK_TRY_STATUS(sys::poll_fds(fds, -1));
    if (fds[1].revents != 0) return {};
    if ((fds[0].revents & POLLIN) != 0) {
      JK_TRY(const auto n, core_->listener().receive());
      if (n) core_->handle(*n);
    } else if ((fds[0].revents & (POLLHUP | POLLERR)) != 0) {
      return {};  // no process uses the filter any more
    }
  }
}

}  // namespace jk::launcher::jail
