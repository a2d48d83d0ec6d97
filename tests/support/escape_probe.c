/* escape_probe: run as the jailed agent; each subcommand tries ONE way out of the jail and
 * prints one line: "ok <detail>" when the attempt succeeded, "blocked <reason>" when the kernel
 * refused it. Built static at test time (tests/integration/test_escape.py). Exit status 0 either
 * way; 2 for usage errors.
 *
 *   status                      CapInh/CapPrm/CapEff/CapBnd/CapAmb/NoNewPrivs from
 * /proc/self/status tcp  HOST PORT [PAYLOAD]    IPv4 connect (+ send PAYLOAD, "\n" escapes, print
 * the reply) tcp6 HOST PORT              IPv6 connect udp  HOST PORT              send one datagram
 * (the test checks whether it arrived) udp6 HOST PORT              the same over IPv6 icmp HOST
 * echo request via a raw socket, then a ping socket nft-flush                   delete every
 * nf_tables table over NETLINK_NETFILTER unshare unshare(CLONE_NEWNET|CLONE_NEWUSER), then each
 * alone setns [PATH]                setns() into PATH (default /proc/1/ns/net) mount mount a tmpfs
 * on /tmp read PATH                   read a file read-parent NAME            read /proc/<parent
 * pid>/NAME (the launcher in landjail) dns NAME                    getaddrinfo(NAME), addresses
 * printed dnsq SERVER NAME            one A query over UDP to SERVER:53 (IPv4 or IPv6 literal);
 * prints "ok <first A> from <source of the answer>"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

enum { kTimeoutSeconds = 5, kReplyMax = 8192 };

static int blocked(const char* what) {
  printf("blocked %s: %s\n", what, strerror(errno));
  return 0;
}

static void set_timeouts(int fd) {
  struct timeval tv = {kTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* "\n" and "\r" escapes in a command-line payload. */
static size_t unescape(const char* in, char* out) {
  size_t n = 0;
  for (; *in; ++in) {
    if (in[0] == '\\' && in[1] == 'n') {
      out[n++] = '\n';
      ++in;
    } else if (in[0] == '\\' && in[1] == 'r') {
      out[n++] = '\r';
      ++in;
    } else
      out[n++] = *in;
  }
  return n;
}

/* Prints the reply on one line with \r and \n escaped. */
static void print_reply(int fd) {
  char reply[kReplyMax];
  size_t total = 0;
  ssize_t n;
  while (total < sizeof(reply) && (n = read(fd, reply + total, sizeof(reply) - total)) > 0) {
    total += (size_t)n;
  }
  printf("ok connected ");
  for (size_t i = 0; i < total; ++i) {
    if (reply[i] == '\n')
      printf("\\n");
    else if (reply[i] == '\r')
      printf("\\r");
    else
      putchar(reply[i]);
  }
  putchar('\n');
}

/* Fills `address` with HOST:PORT of `family`; 0, or 2 for a HOST that is not a literal. */
static int make_address(int family, const char* host, unsigned short port,
                        struct sockaddr_storage* address, socklen_t* length) {
  memset(address, 0, sizeof(*address));
  if (family == AF_INET) {
    struct sockaddr_in* a = (struct sockaddr_in*)address;
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    *length = sizeof(*a);
    return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : 2;
  }
  struct sockaddr_in6* a = (struct sockaddr_in6*)address;
  a->sin6_family = AF_INET6;
  a->sin6_port = htons(port);
  *length = sizeof(*a);
  return inet_pton(AF_INET6, host, &a->sin6_addr) == 1 ? 0 : 2;
}

static int probe_tcp(int family, const char* host, const char* port, const char* payload) {
  struct sockaddr_storage address;
  socklen_t length;
  if (make_address(family, host, (unsigned short)atoi(port), &address, &length) != 0) return 2;
  int fd = socket(family, SOCK_STREAM, 0);
  if (fd < 0) return blocked("socket");
  set_timeouts(fd);
  if (connect(fd, (struct sockaddr*)&address, length) != 0) return blocked("connect");
  if (payload != NULL) {
    char buffer[4096];
    size_t n = unescape(payload, buffer);
    if (write(fd, buffer, n) != (ssize_t)n) return blocked("write");
  }
  shutdown(fd, SHUT_WR);
  print_reply(fd);
  return 0;
}

static int probe_udp(int family, const char* host, const char* port) {
  struct sockaddr_storage address;
  socklen_t length;
  if (make_address(family, host, (unsigned short)atoi(port), &address, &length) != 0) return 2;
  int fd = socket(family, SOCK_DGRAM, 0);
  if (fd < 0) return blocked("socket");
  if (sendto(fd, "escape", 6, 0, (struct sockaddr*)&address, length) != 6) return blocked("sendto");
  printf("ok sent\n");
  return 0;
}

static int send_echo(int fd, const struct sockaddr_in* to, int raw) {
  struct icmphdr echo = {0};
  echo.type = ICMP_ECHO;
  echo.un.echo.id = htons(1);
  echo.un.echo.sequence = htons(1);
  if (raw) { /* checksum of the 8-byte header */
    unsigned sum = 0;
    const unsigned short* w = (const unsigned short*)&echo;
    for (size_t i = 0; i < sizeof(echo) / 2; ++i) sum += w[i];
    sum = (sum >> 16) + (sum & 0xffff);
    echo.checksum = (unsigned short)~(sum + (sum >> 16));
  }
  set_timeouts(fd);
  if (sendto(fd, &echo, sizeof(echo), 0, (const struct sockaddr*)to, sizeof(*to)) < 0) return -1;
  char reply[512];
  return recv(fd, reply, sizeof(reply), 0) > 0 ? 0 : -1;
}

static int probe_icmp(const char* host) {
  struct sockaddr_in to = {0};
  to.sin_family = AF_INET;
  if (inet_pton(AF_INET, host, &to.sin_addr) != 1) return 2;
  int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  if (fd >= 0 && send_echo(fd, &to, 1) == 0) {
    printf("ok raw echo reply\n");
    return 0;
  }
  char raw_error[128];
  snprintf(raw_error, sizeof(raw_error), "%s", strerror(errno));
  fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  if (fd >= 0 && send_echo(fd, &to, 0) == 0) {
    printf("ok ping echo reply\n");
    return 0;
  }
  printf("blocked raw: %s; ping: %s\n", raw_error, strerror(errno));
  return 0;
}

/* BATCH_BEGIN, DELTABLE (all tables of every family), BATCH_END; reads the ack. */
static int probe_nft_flush(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
  if (fd < 0) return blocked("socket(NETLINK_NETFILTER)");
  struct {
    struct nlmsghdr h;
    struct nfgenmsg g;
  } m[3];
  memset(m, 0, sizeof(m));
  const unsigned short types[3] = {
      NFNL_MSG_BATCH_BEGIN, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELTABLE, NFNL_MSG_BATCH_END};
  for (int i = 0; i < 3; ++i) {
    m[i].h.nlmsg_len = sizeof(m[i]);
    m[i].h.nlmsg_type = types[i];
    m[i].h.nlmsg_flags = NLM_F_REQUEST | (i == 1 ? NLM_F_ACK : 0);
    m[i].h.nlmsg_seq = (unsigned)i + 1;
    m[i].g.nfgen_family = AF_UNSPEC;
    m[i].g.res_id = i == 1 ? 0 : htons(NFNL_SUBSYS_NFTABLES);
  }
  if (send(fd, m, sizeof(m), 0) < 0) return blocked("send");
  char reply[4096];
  set_timeouts(fd);
  ssize_t n = recv(fd, reply, sizeof(reply), 0);
  if (n < (ssize_t)(NLMSG_HDRLEN + sizeof(struct nlmsgerr))) return blocked("recv");
  const struct nlmsgerr* e = NLMSG_DATA((struct nlmsghdr*)reply);
  if (e->error != 0) {
    errno = -e->error;
    return blocked("delete tables");
  }
  printf("ok flushed\n");
  return 0;
}

static int probe_unshare(void) {
  const struct {
    int flags;
    const char* name;
  } tries[] = {
      {CLONE_NEWNET | CLONE_NEWUSER, "net+user"}, {CLONE_NEWUSER, "user"}, {CLONE_NEWNET, "net"}};
  for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); ++i) {
    if (unshare(tries[i].flags) == 0) {
      printf("ok unshare(%s)\n", tries[i].name);
      return 0;
    }
  }
  return blocked("unshare");
}

static int probe_setns(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return blocked("open");
  if (setns(fd, CLONE_NEWNET) != 0) return blocked("setns");
  printf("ok setns %s\n", path);
  return 0;
}

static int probe_mount(void) {
  if (mount("tmpfs", "/tmp", "tmpfs", 0, NULL) != 0) return blocked("mount");
  printf("ok mounted\n");
  return 0;
}

static int probe_read(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return blocked("open");
  char buffer[4096];
  ssize_t n = read(fd, buffer, sizeof(buffer));
  if (n < 0) return blocked("read");
  printf("ok read %zd bytes\n", n);
  return 0;
}

static int probe_dns(const char* name) {
  struct addrinfo hints = {0}, *result = NULL;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(name, NULL, &hints, &result);
  if (rc != 0) {
    printf("blocked getaddrinfo: %s\n", gai_strerror(rc));
    return 0;
  }
  printf("ok");
  for (struct addrinfo* a = result; a != NULL; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN];
    const void* raw = a->ai_family == AF_INET
                          ? (const void*)&((struct sockaddr_in*)a->ai_addr)->sin_addr
                          : (const void*)&((struct sockaddr_in6*)a->ai_addr)->sin6_addr;
    printf(" %s", inet_ntop(a->ai_family, raw, text, sizeof(text)));
  }
  printf("\n");
  freeaddrinfo(result);
  return 0;
}

/* Skips a (possibly compressed) name at p; returns the offset after it, or -1. */
static int skip_name(const unsigned char* m, int n, int p) {
  while (p < n) {
    if (m[p] == 0) return p + 1;
    if ((m[p] & 0xC0) == 0xC0) return p + 2 <= n ? p + 2 : -1;
    p += m[p] + 1;
  }
  return -1;
}

static int probe_dnsq(const char* server, const char* name) {
  struct sockaddr_storage to;
  socklen_t length;
  int family = strchr(server, ':') != NULL ? AF_INET6 : AF_INET;
  if (make_address(family, server, 53, &to, &length) != 0) return 2;
  unsigned char q[300] = {0xAB, 0xCD, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  int n = 12;
  for (const char* label = name; *label != 0 && n < 250;) {
    size_t size = strcspn(label, ".");
    q[n++] = (unsigned char)size;
    memcpy(q + n, label, size);
    n += (int)size;
    label += size + (label[size] == '.');
  }
  const unsigned char tail[] = {0, 0, 1, 0, 1}; /* root, type A, class IN */
  memcpy(q + n, tail, sizeof(tail));
  n += (int)sizeof(tail);
  int fd = socket(family, SOCK_DGRAM, 0);
  if (fd < 0) return blocked("socket");
  set_timeouts(fd);
  if (sendto(fd, q, (size_t)n, 0, (struct sockaddr*)&to, length) != n) return blocked("sendto");
  unsigned char m[512];
  struct sockaddr_storage from = {0};
  socklen_t from_length = sizeof(from);
  ssize_t got = recvfrom(fd, m, sizeof(m), 0, (struct sockaddr*)&from, &from_length);
  if (got < 12) return blocked("recvfrom");
  char source[INET6_ADDRSTRLEN] = "?";
  inet_ntop(from.ss_family,
            from.ss_family == AF_INET6 ? (const void*)&((struct sockaddr_in6*)&from)->sin6_addr
                                       : (const void*)&((struct sockaddr_in*)&from)->sin_addr,
            source, sizeof(source));
  int p = skip_name(m, (int)got, 12);
  int answers = m[6] << 8 | m[7];
  for (p = p < 0 ? -1 : p + 4; p >= 0 && answers-- > 0;) {
    p = skip_name(m, (int)got, p);
    if (p < 0 || p + 10 > got) break;
    int type = m[p] << 8 | m[p + 1], rdlength = m[p + 8] << 8 | m[p + 9];
    p += 10;
    if (type == 1 && rdlength == 4 && p + 4 <= got) {
      char a[INET_ADDRSTRLEN];
      printf("ok %s from %s\n", inet_ntop(AF_INET, m + p, a, sizeof(a)), source);
      return 0;
    }
    p += rdlength;
  }
  printf("ok no A record from %s\n", source);
  return 0;
}

static int probe_status(void) {
  FILE* f = fopen("/proc/self/status", "r");
  if (f == NULL) return blocked("open /proc/self/status");
  char line[256];
  while (fgets(line, sizeof(line), f) != NULL) {
    if (strncmp(line, "Cap", 3) == 0 || strncmp(line, "NoNewPrivs", 10) == 0) {
      line[strcspn(line, "\n")] = 0;
      printf("%s;", line);
    }
  }
  printf("\n");
  return 0;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) return 2;
  const char* c = argv[1];
  if (strcmp(c, "status") == 0) return probe_status();
  if (strcmp(c, "tcp") == 0 && argc >= 4)
    return probe_tcp(AF_INET, argv[2], argv[3], argc > 4 ? argv[4] : NULL);
  if (strcmp(c, "tcp6") == 0 && argc >= 4) return probe_tcp(AF_INET6, argv[2], argv[3], NULL);
  if (strcmp(c, "udp") == 0 && argc >= 4) return probe_udp(AF_INET, argv[2], argv[3]);
  if (strcmp(c, "udp6") == 0 && argc >= 4) return probe_udp(AF_INET6, argv[2], argv[3]);
  if (strcmp(c, "icmp") == 0 && argc >= 3) return probe_icmp(argv[2]);
  if (strcmp(c, "nft-flush") == 0) return probe_nft_flush();
  if (strcmp(c, "unshare") == 0) return probe_unshare();
  if (strcmp(c, "setns") == 0) return probe_setns(argc > 2 ? argv[2] : "/proc/1/ns/net");
  if (strcmp(c, "mount") == 0) return probe_mount();
  if (strcmp(c, "read") == 0 && argc >= 3) return probe_read(argv[2]);
  if (strcmp(c, "read-parent") == 0 && argc >= 3) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/%s", (int)getppid(), argv[2]);
    return probe_read(path);
  }
  if (strcmp(c, "dns") == 0 && argc >= 3) return probe_dns(argv[2]);
  if (strcmp(c, "dnsq") == 0 && argc >= 4) return probe_dnsq(argv[2], argv[3]);
  fprintf(stderr, "escape_probe: unknown or incomplete subcommand %s\n", c);
  return 2;
}
