/* class_probe: run as the jailed agent by tests/integration/test_jail_classes.py. Each
 * subcommand tries one class of way out (issue 13) and prints lines the test reads.
 * Built static at test time. Exit status 0 unless the usage is wrong (2).
 *
 *   sockets HOST PORT       every family x type x protocol in the table below: socket(), then
 *                           for IP ones connect(HOST:PORT) (IPv6 ones to ::ffff:HOST). One line
 *                           each: "<name> socket-refused <errno>" | "<name> created" |
 *                           "<name> connected" | "<name> connect-failed <errno>"
 *   listen FAMILY PORT SECS listen on 0.0.0.0/[::] (PORT 0: no bind, the kernel picks), print
 *                           "listening <port>" or "blocked <step> <errno>", then wait SECS for a
 *                           connection: "accepted" or "nothing"
 *   listen-unix PATH        bind+listen an AF_UNIX socket: "listening" or "blocked <errno>"
 *   unix-connect PATH       "connected" or "blocked <errno>"
 *   spawn MARKER            a setsid() child and a plain child (comm "jk-sleeper", MARKER in
 *                           their command line), then "spawned" and wait
 *   blocking-sends N BYTES  N threads each send BYTES on one blocking AF_UNIX stream socket whose
 *                           peer never reads; once at most 32 are still blocked (or after
 *                           60 s) prints "failed-enobufs <k>" and
 *                           "still-blocked <m>", then sleeps 600 (the test reads the launcher's
 *                           memory meanwhile, then kills it)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif

struct kind {
  const char* name;
  int domain, type, protocol;
};

static const struct kind kinds[] = {
    {"tcp4", AF_INET, SOCK_STREAM, 0},
    {"tcp6", AF_INET6, SOCK_STREAM, 0},
    {"mptcp4", AF_INET, SOCK_STREAM, IPPROTO_MPTCP},
    {"mptcp6", AF_INET6, SOCK_STREAM, IPPROTO_MPTCP},
    {"sctp4-stream", AF_INET, SOCK_STREAM, IPPROTO_SCTP},
    {"sctp6-seqpacket", AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP},
    {"sctp4-seqpacket", AF_INET, SOCK_SEQPACKET, 0},
    {"udplite4", AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE},
    {"ping4", AF_INET, SOCK_DGRAM, IPPROTO_ICMP},
    {"ping6", AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6},
    {"raw4", AF_INET, SOCK_RAW, IPPROTO_TCP},
    {"raw6", AF_INET6, SOCK_RAW, IPPROTO_UDP},
    {"dccp4", AF_INET, SOCK_DCCP, 0},
    {"packet", AF_PACKET, SOCK_RAW, 0},
    {"packet-dgram", AF_PACKET, SOCK_DGRAM, 0},
    {"vsock-stream", AF_VSOCK, SOCK_STREAM, 0},
    {"vsock-dgram", AF_VSOCK, SOCK_DGRAM, 0},
    {"xdp", AF_XDP, SOCK_RAW, 0},
    {"alg", AF_ALG, SOCK_SEQPACKET, 0},
    {"tipc", AF_TIPC, SOCK_RDM, 0},
    {"rds", AF_RDS, SOCK_SEQPACKET, 0},
    {"kcm", AF_KCM, SOCK_DGRAM, 0},
    {"bluetooth", AF_BLUETOOTH, SOCK_STREAM, 0},
    {"can", AF_CAN, SOCK_RAW, 1},
    {"appletalk", AF_APPLETALK, SOCK_DGRAM, 0},
    {"x25", AF_X25, SOCK_SEQPACKET, 0},
    {"netlink-netfilter", AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER},
    {"netlink-audit", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT},
    {"netlink-xfrm", AF_NETLINK, SOCK_RAW, NETLINK_XFRM},
};

static int probe_sockets(const char* host, int port) {
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); ++i) {
    const struct kind* k = &kinds[i];
    int fd = socket(k->domain, k->type | SOCK_CLOEXEC, k->protocol);
    if (fd < 0) {
      printf("%s socket-refused %d\n", k->name, errno);
      continue;
    }
    int rc = -2;
    if (k->domain == AF_INET) {
      struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
      inet_pton(AF_INET, host, &to.sin_addr);
      rc = connect(fd, (struct sockaddr*)&to, sizeof(to));
    } else if (k->domain == AF_INET6) {
      struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
      char mapped[64];
      snprintf(mapped, sizeof(mapped), "::ffff:%s", host);
      inet_pton(AF_INET6, mapped, &to.sin6_addr);
      rc = connect(fd, (struct sockaddr*)&to, sizeof(to));
    }
    if (rc == -2) {
      printf("%s created\n", k->name);
    } else if (rc == 0) {
      printf("%s connected\n", k->name);
    } else {
      printf("%s connect-failed %d\n", k->name, errno);
    }
    close(fd);
  }
  return 0;
}

static int probe_listen(const char* family, int port, int seconds) {
  const int v6 = strcmp(family, "6") == 0;
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    printf("blocked socket %d\n", errno);
    return 0;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (port != 0) {
    int rc;
    if (v6) {
      struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
      rc = bind(fd, (struct sockaddr*)&a, sizeof(a));
    } else {
      struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
      rc = bind(fd, (struct sockaddr*)&a, sizeof(a));
    }
    if (rc != 0) {
      printf("blocked bind %d\n", errno);
      return 0;
    }
  }
  if (listen(fd, 4) != 0) {
    printf("blocked listen %d\n", errno);
    return 0;
  }
  struct sockaddr_storage bound;
  socklen_t length = sizeof(bound);
  getsockname(fd, (struct sockaddr*)&bound, &length);
  const int actual = ntohs(v6 ? ((struct sockaddr_in6*)&bound)->sin6_port
                              : ((struct sockaddr_in*)&bound)->sin_port);
  printf("listening %d\n", actual);
  fflush(stdout);
  struct pollfd p = {.fd = fd, .events = POLLIN};
  if (poll(&p, 1, seconds * 1000) == 1 && accept(fd, NULL, NULL) >= 0) {
    printf("accepted\n");
  } else {
    printf("nothing\n");
  }
  return 0;
}

static int unix_address(const char* path, struct sockaddr_un* a) {
  memset(a, 0, sizeof(*a));
  a->sun_family = AF_UNIX;
  snprintf(a->sun_path, sizeof(a->sun_path), "%s", path);
  return (int)sizeof(*a);
}

static int probe_listen_unix(const char* path) {
  struct sockaddr_un a;
  const int length = unix_address(path, &a);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (bind(fd, (struct sockaddr*)&a, length) != 0 || listen(fd, 1) != 0) {
    printf("blocked %d\n", errno);
    return 0;
  }
  printf("listening\n");
  return 0;
}

static int probe_unix_connect(const char* path) {
  struct sockaddr_un a;
  const int length = unix_address(path, &a);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (connect(fd, (struct sockaddr*)&a, length) != 0) {
    printf("blocked %d\n", errno);
    return 0;
  }
  printf("connected\n");
  return 0;
}

/* A child that only waits: named "jk-sleeper" (comm); its command line still holds MARKER. */
static void sleeper(void) {
  prctl(PR_SET_NAME, "jk-sleeper", 0, 0, 0);
  for (;;) pause();
}

static int probe_spawn(void) {
  if (fork() == 0) {
    setsid();
    sleeper();
  }
  if (fork() == 0) sleeper();
  printf("spawned\n");
  fflush(stdout);
  for (;;) pause();
}

static int sender_fd;
static size_t send_bytes;
static int enobufs, blocked, started;
/* The broker's bound on blocked calls (seccompjail): the probe waits until the rest answered. */
#define BROKER_BLOCKED_BOUND 32
static pthread_mutex_t counts = PTHREAD_MUTEX_INITIALIZER;

static void* sender(void* unused) {
  (void)unused;
  char* data = calloc(1, send_bytes);
  pthread_mutex_lock(&counts);
  ++blocked;
  ++started;
  pthread_mutex_unlock(&counts);
  struct iovec io = {data, send_bytes};
  struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1};
  ssize_t n = sendmsg(sender_fd, &m, 0);
  pthread_mutex_lock(&counts);
  --blocked;
  if (n < 0 && errno == ENOBUFS) ++enobufs;
  pthread_mutex_unlock(&counts);
  return NULL;
}

static int probe_blocking_sends(int threads, size_t bytes) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) {
    printf("blocked socketpair %d\n", errno);
    return 0;
  }
  sender_fd = pair[0];
  send_bytes = bytes;
  for (int i = 0; i < threads; ++i) {
    pthread_t t;
    pthread_create(&t, NULL, sender, NULL);
  }
  /* Until every thread started and at most the bound is still blocked (the broker answered the
   * rest), or 60 s: a slow broker (sanitizer builds) must not be read as an unbounded one. */
  for (int waited_ms = 0; waited_ms < 60000; waited_ms += 50) {
    pthread_mutex_lock(&counts);
    const int settled = started == threads && blocked <= BROKER_BLOCKED_BOUND;
    pthread_mutex_unlock(&counts);
    if (settled) break;
    usleep(50 * 1000);
  }
  usleep(500 * 1000); /* then a little longer: a broker over its bound would show it */
  pthread_mutex_lock(&counts);
  printf("failed-enobufs %d\nstill-blocked %d\n", enobufs, blocked);
  pthread_mutex_unlock(&counts);
  fflush(stdout);
  sleep(600);
  return 0;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc >= 4 && strcmp(argv[1], "sockets") == 0) return probe_sockets(argv[2], atoi(argv[3]));
  if (argc >= 5 && strcmp(argv[1], "listen") == 0) {
    return probe_listen(argv[2], atoi(argv[3]), atoi(argv[4]));
  }
  if (argc >= 3 && strcmp(argv[1], "listen-unix") == 0) return probe_listen_unix(argv[2]);
  if (argc >= 3 && strcmp(argv[1], "unix-connect") == 0) return probe_unix_connect(argv[2]);
  if (argc >= 3 && strcmp(argv[1], "spawn") == 0) return probe_spawn();
  if (argc >= 4 && strcmp(argv[1], "blocking-sends") == 0) {
    return probe_blocking_sends(atoi(argv[2]), (size_t)atol(argv[3]));
  }
  fprintf(stderr, "usage: see the comment at the top of class_probe.c\n");
  return 2;
}
