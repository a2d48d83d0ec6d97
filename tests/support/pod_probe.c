/* pod_probe: the agent of the real-runtime pod-shape matrix (tests/integration/
 * test_pod_shapes.py). Run as the container's command, once behind jailkeeper-launch and once
 * without it in the identical container spec (the baseline). Prints ONE JSON object on stdout:
 *
 *   identity   uid, gid, groups; the five capability sets, NoNewPrivs and Seccomp mode
 *              (from /proc/self/status)
 *   attempts   each {"result": "ok"|"blocked", "errno": NAME, "detail": TEXT}:
 *                core_pattern_write  open /proc/sys/kernel/core_pattern for writing (not written)
 *                sysrq_write         write "h" (help: only prints to the kernel log) to
 *                                    /proc/sysrq-trigger
 *                read_kcore, read_keys, read_timer_list, read_sched_debug: read > 0 bytes
 *                list_sys_firmware   /sys/firmware has an entry
 *                mount_tmpfs         mount a tmpfs on /mnt (unmounted again)
 *                unshare_user, unshare_net   in a child process
 *                raw_socket          socket(AF_INET, SOCK_RAW, IPPROTO_RAW)
 *                landlock_abi        the Landlock ABI version the kernel (or seccomp) answers
 *                exec_gains_caps     "ok" when a setuid-root program it executes (/probe-suid)
 *                                    gains permitted or effective capabilities (the bounding
 *                                    set, unless no_new_privs); detail: that program's sets
 *                tcp_direct          connect to the upstream itself (not through any proxy
 *                                    variable) and send GET /direct-tcp; detail: the status line
 *                udp                 one datagram holding the token to the upstream's UDP port
 *                http_allowed        GET /allowed (through HTTP_PROXY when set, else directly:
 *                                    the nsjail/seccompjail proxy is transparent); detail: body
 *                http_denied         GET /denied; detail: the status line
 *   walk       every entry under /proc (except process directories) and /sys (three levels),
 *              without following symbolic links, as "FLAGS PATH": v = visible, r = readable
 *              (a directory that lists; a regular file that opens for reading, and under /proc
 *              also reads without an error), w = a regular file that opens for writing (nothing
 *              is ever written). A masked file (/dev/null bound over it) is only visible. The
 *              test compares the jailed walk with the baseline's.
 *
 * Usage: pod_probe UPSTREAM_IP HTTP_PORT UDP_PORT TOKEN     (exit 0; 2 for usage errors)
 * Built static at test time; needs nothing in the image. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* /sys is walked three levels deep (about 1,200 entries, every top-level attribute; all of it
 * would be 17,000 entries and a second per run on two busy cores); /proc completely. */
enum {
  kIoTimeoutSeconds = 5,
  kReplyMax = 16384,
  kProcDepth = 16,
  kSysDepth = 3,
  kMaxEntries = 400000
};

static const char* upstream_ip;
static unsigned short http_port, udp_port;
static const char* token;

/* ---- JSON output ---------------------------------------------------------------------- */

static void json_string(const char* s) {
  putchar('"');
  for (const unsigned char* p = (const unsigned char*)s; *p; ++p) {
    if (*p == '"' || *p == '\\')
      printf("\\%c", *p);
    else if (*p == '\n')
      printf("\\n");
    else if (*p == '\r')
      printf("\\r");
    else if (*p == '\t')
      printf("\\t");
    else if (*p < 0x20 || *p >= 0x7f)
      printf("\\u%04x", *p);
    else
      putchar(*p);
  }
  putchar('"');
}

static int first_attempt = 1;

static void attempt(const char* name, int ok, int error, const char* detail) {
  printf("%s\n    ", first_attempt ? "" : ",");
  first_attempt = 0;
  json_string(name);
  printf(": {\"result\": \"%s\", \"errno\": ", ok ? "ok" : "blocked");
  json_string(ok || error == 0 ? "" : strerrorname_np(error) ? strerrorname_np(error) : "?");
  printf(", \"detail\": ");
  json_string(detail ? detail : "");
  putchar('}');
}

static void blocked(const char* name, int error) { attempt(name, 0, error, strerror(error)); }

/* ---- identity ------------------------------------------------------------------------- */

static void print_identity(void) {
  printf("  \"uid\": %d, \"gid\": %d, \"groups\": [", (int)getuid(), (int)getgid());
  gid_t groups[64];
  int n = getgroups(64, groups);
  for (int i = 0; i < n; ++i) printf("%s%d", i ? ", " : "", (int)groups[i]);
  printf("],\n  \"status\": {");
  FILE* f = fopen("/proc/self/status", "r");
  char line[512];
  int first = 1;
  while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
    static const char* const keys[] = {"CapInh", "CapPrm",     "CapEff",  "CapBnd",
                                       "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters"};
    char* colon = strchr(line, ':');
    if (colon == NULL) continue;
    *colon = 0;
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); ++k) {
      if (strcmp(line, keys[k]) != 0) continue;
      char* value = colon + 1;
      value += strspn(value, " \t");
      value[strcspn(value, "\n")] = 0;
      printf("%s", first ? "" : ", ");
      first = 0;
      json_string(line);
      printf(": ");
      json_string(value);
    }
  }
  if (f != NULL) fclose(f);
  printf("},\n");
}

/* ---- file attempts -------------------------------------------------------------------- */

static void on_alarm(int signal_number) { (void)signal_number; }

/* A read that cannot hang the probe: O_NONBLOCK plus an alarm that interrupts the read. */
static ssize_t read_some(const char* path, char* buffer, size_t size, int* error) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    *error = errno;
    return -1;
  }
  alarm(2);
  ssize_t n = read(fd, buffer, size);
  *error = errno;
  alarm(0);
  close(fd);
  return n;
}

static void try_read(const char* name, const char* path) {
  char buffer[64];
  int error = 0;
  ssize_t n = read_some(path, buffer, sizeof(buffer), &error);
  if (n < 0) return blocked(name, error);
  char detail[64];
  snprintf(detail, sizeof(detail), "read %zd bytes", n);
  attempt(name, n > 0, 0, detail);
}

static void try_open_write(const char* name, const char* path) {
  int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return blocked(name, errno);
  close(fd);
  attempt(name, 1, 0, "opened for writing (nothing written)");
}

static void try_sysrq(void) {
  int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return blocked("sysrq_write", errno);
  ssize_t n = write(fd, "h", 1); /* 'h' prints the sysrq help to the kernel log, nothing else */
  int error = errno;
  close(fd);
  if (n != 1) return blocked("sysrq_write", error);
  attempt("sysrq_write", 1, 0, "wrote h");
}

static void try_list(const char* name, const char* path) {
  DIR* dir = opendir(path);
  if (dir == NULL) return blocked(name, errno);
  int entries = 0;
  for (struct dirent* e; (e = readdir(dir)) != NULL;) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) ++entries;
  }
  closedir(dir);
  char detail[64];
  snprintf(detail, sizeof(detail), "%d entries", entries);
  attempt(name, entries > 0, 0, detail);
}

static void try_mount(void) {
  if (mount("probe", "/mnt", "tmpfs", 0, "size=64k") != 0) return blocked("mount_tmpfs", errno);
  umount2("/mnt", MNT_DETACH);
  attempt("mount_tmpfs", 1, 0, "mounted a tmpfs on /mnt");
}

/* unshare in a child, so that the probe itself keeps its namespaces and credentials. */
static void try_unshare(const char* name, int flags) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return blocked(name, errno);
  pid_t child = fork();
  if (child < 0) return blocked(name, errno);
  if (child == 0) {
    int result = unshare(flags) == 0 ? 0 : errno;
    if (write(pipe_fds[1], &result, sizeof(result)) != sizeof(result)) _exit(1);
    _exit(0);
  }
  int result = EIO;
  close(pipe_fds[1]);
  if (read(pipe_fds[0], &result, sizeof(result)) != sizeof(result)) result = EIO;
  close(pipe_fds[0]);
  waitpid(child, NULL, 0);
  if (result != 0) return blocked(name, result);
  attempt(name, 1, 0, "new namespace created");
}

/* The Landlock ABI version (landlock_create_ruleset with LANDLOCK_CREATE_RULESET_VERSION). */
static void try_landlock(void) {
  long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U /* ..._VERSION */);
  if (abi < 0) return blocked("landlock_abi", errno);
  char detail[32];
  snprintf(detail, sizeof(detail), "ABI %ld", abi);
  attempt("landlock_abi", 1, 0, detail);
}

static void try_raw_socket(void) {
  int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
  if (fd < 0) return blocked("raw_socket", errno);
  close(fd);
  attempt("raw_socket", 1, 0, "raw IPv4 socket created");
}

/* The capability sets of this process as "CapPrm=... CapEff=..." into `out`. */
static void permitted_and_effective(char* out, size_t size) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256], prm[32] = "?", eff[32] = "?";
  while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
    if (strncmp(line, "CapPrm:", 7) == 0) sscanf(line + 7, "%31s", prm);
    if (strncmp(line, "CapEff:", 7) == 0) sscanf(line + 7, "%31s", eff);
  }
  if (f != NULL) fclose(f);
  snprintf(out, size, "CapPrm=%s CapEff=%s", prm, eff);
}

/* Whether a program this process executes gains capabilities: a setuid-root program (root
 * too) gets the bounding set on execve unless no_new_privs stops it. The child execs the
 * image's setuid-root copy of this probe, /probe-suid (`pod_probe --caps`; the probe itself
 * when there is none), which prints its permitted and effective sets. */
static void try_exec_gains(void) {
  int out[2];
  if (pipe(out) != 0) return blocked("exec_gains_caps", errno);
  pid_t child = fork();
  if (child < 0) return blocked("exec_gains_caps", errno);
  if (child == 0) {
    dup2(out[1], STDOUT_FILENO);
    char* const argv[] = {"pod_probe", "--caps", NULL};
    execv(access("/probe-suid", X_OK) == 0 ? "/probe-suid" : "/proc/self/exe", argv);
    _exit(127);
  }
  close(out[1]);
  char line[128] = "";
  ssize_t n = read(out[0], line, sizeof(line) - 1);
  close(out[0]);
  waitpid(child, NULL, 0);
  if (n <= 0) return blocked("exec_gains_caps", n < 0 ? errno : ENOEXEC);
  line[n] = 0;
  line[strcspn(line, "\n")] = 0;
  int gained = strstr(line, "CapPrm=0000000000000000 CapEff=0000000000000000") == NULL;
  attempt("exec_gains_caps", gained, 0, line);
}

/* ---- network attempts ----------------------------------------------------------------- */

static void set_timeouts(int fd) {
  struct timeval tv = {kIoTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* Connects to IP:PORT; the fd, or -1 with errno set. */
static int connect_to(const char* ip, unsigned short port) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
    errno = EINVAL;
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  set_timeouts(fd);
  if (connect(fd, (struct sockaddr*)&a, sizeof(a)) != 0) {
    int error = errno;
    close(fd);
    errno = error;
    return -1;
  }
  return fd;
}

/* HTTP_PROXY / http_proxy as "http://IP:PORT[/]"; 0 when unset or not of that form. */
static int proxy_from_env(char* ip, size_t ip_size, unsigned short* port) {
  const char* value = getenv("HTTP_PROXY");
  if (value == NULL || *value == 0) value = getenv("http_proxy");
  if (value == NULL || strncmp(value, "http://", 7) != 0) return 0;
  value += 7;
  const char* colon = strrchr(value, ':');
  if (colon == NULL || (size_t)(colon - value) >= ip_size) return 0;
  memcpy(ip, value, (size_t)(colon - value));
  ip[colon - value] = 0;
  if (strcmp(ip, "localhost") == 0) snprintf(ip, ip_size, "127.0.0.1");
  *port = (unsigned short)atoi(colon + 1);
  return *port != 0;
}

/* Sends one GET and reads the whole answer (Connection: close). The answer's length, or -1. */
static ssize_t http_exchange(int fd, const char* target, char* reply, size_t size) {
  char request[512];
  int n = snprintf(request, sizeof(request),
                   "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: pod_probe\r\n"
                   "Connection: close\r\n\r\n",
                   target, upstream_ip, http_port);
  if (write(fd, request, (size_t)n) != n) return -1;
  size_t total = 0;
  for (ssize_t got; total + 1 < size && (got = read(fd, reply + total, size - 1 - total)) > 0;) {
    total += (size_t)got;
  }
  reply[total] = 0;
  return (ssize_t)total;
}

/* "ok" when an answer came; detail = the status line, or the body for `body_detail`. */
static void try_http(const char* name, const char* path, int use_proxy_env, int body_detail) {
  char proxy_ip[64];
  unsigned short proxy_port = 0;
  int via_proxy = use_proxy_env && proxy_from_env(proxy_ip, sizeof(proxy_ip), &proxy_port);
  int fd = via_proxy ? connect_to(proxy_ip, proxy_port) : connect_to(upstream_ip, http_port);
  if (fd < 0) return blocked(name, errno);
  char target[256];
  if (via_proxy)
    snprintf(target, sizeof(target), "http://%s:%u%s", upstream_ip, http_port, path);
  else
    snprintf(target, sizeof(target), "%s", path);
  static char reply[kReplyMax];
  ssize_t n = http_exchange(fd, target, reply, sizeof(reply));
  int error = errno;
  close(fd);
  if (n <= 0) return blocked(name, n < 0 ? error : ECONNRESET);
  char* body = strstr(reply, "\r\n\r\n");
  if (body_detail && body != NULL) return attempt(name, 1, 0, body + 4);
  reply[strcspn(reply, "\r\n")] = 0;
  attempt(name, 1, 0, reply);
}

static void try_udp(void) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(udp_port);
  inet_pton(AF_INET, upstream_ip, &a.sin_addr);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return blocked("udp", errno);
  ssize_t n = sendto(fd, token, strlen(token), 0, (struct sockaddr*)&a, sizeof(a));
  int error = errno;
  close(fd);
  if (n < 0) return blocked("udp", error);
  attempt("udp", 1, 0, "sent (the test checks whether it arrived)");
}

/* ---- the /proc and /sys walk ---------------------------------------------------------- */

static int walked;

static int is_process_entry(const char* parent, const char* name) {
  if (strcmp(parent, "/proc") != 0) return 0;
  if (strcmp(name, "self") == 0 || strcmp(name, "thread-self") == 0) return 1;
  return name[strspn(name, "0123456789")] == 0;
}

/* Reading /proc/kmsg would consume kernel log messages other readers are waiting for. */
static int read_is_destructive(const char* path) { return strcmp(path, "/proc/kmsg") == 0; }

static void walk_entry(const char* path, int depth, int max_depth);

static void walk_directory(const char* path, int depth, int max_depth) {
  DIR* dir = opendir(path);
  if (dir == NULL) return;
  for (struct dirent* e; (e = readdir(dir)) != NULL && walked < kMaxEntries;) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (is_process_entry(path, e->d_name)) continue;
    char child[4096];
    if (snprintf(child, sizeof(child), "%s/%s", path, e->d_name) >= (int)sizeof(child)) continue;
    walk_entry(child, depth + 1, max_depth);
  }
  closedir(dir);
}

static void walk_entry(const char* path, int depth, int max_depth) {
  struct stat st;
  if (lstat(path, &st) != 0) return;
  ++walked;
  char flags[4] = "v--";
  /* Only regular files and directories count: runc masks a file by binding /dev/null over it
   * (a character device here, whose reads return nothing and whose writes go nowhere). */
  if (S_ISREG(st.st_mode)) {
    if (strncmp(path, "/proc", 5) == 0 && !read_is_destructive(path)) {
      /* A read that does not fail, even if the file is empty right now: "has data" would
       * depend on the moment (/proc/locks), not on what the process may read. */
      char buffer[1];
      int error;
      if (read_some(path, buffer, sizeof(buffer), &error) >= 0) flags[1] = 'r';
    } else {
      int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
      if (fd >= 0) {
        flags[1] = 'r';
        close(fd);
      }
    }
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0) {
      flags[2] = 'w';
      close(fd);
    }
  } else if (S_ISDIR(st.st_mode)) {
    DIR* dir = opendir(path);
    if (dir != NULL) {
      flags[1] = 'r';
      closedir(dir);
    }
  }
  printf("%s\n    ", walked == 1 ? "" : ",");
  char line[4200];
  snprintf(line, sizeof(line), "%s %s", flags, path);
  json_string(line);
  if (S_ISDIR(st.st_mode) && depth < max_depth) walk_directory(path, depth, max_depth);
}

/* ---- main ----------------------------------------------------------------------------- */

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "--caps") == 0) { /* the exec'd child of try_exec_gains */
    char caps[96];
    permitted_and_effective(caps, sizeof(caps));
    printf("%s\n", caps);
    return 0;
  }
  if (argc != 5) {
    fprintf(stderr, "usage: pod_probe UPSTREAM_IP HTTP_PORT UDP_PORT TOKEN\n");
    return 2;
  }
  upstream_ip = argv[1];
  http_port = (unsigned short)atoi(argv[2]);
  udp_port = (unsigned short)atoi(argv[3]);
  token = argv[4];
  struct sigaction sa = {0};
  sa.sa_handler = on_alarm; /* no SA_RESTART: the alarm interrupts a hanging read */
  sigaction(SIGALRM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  printf("{\n");
  print_identity();
  printf("  \"attempts\": {");
  try_open_write("core_pattern_write", "/proc/sys/kernel/core_pattern");
  try_sysrq();
  try_read("read_kcore", "/proc/kcore");
  try_read("read_keys", "/proc/keys");
  try_read("read_timer_list", "/proc/timer_list");
  try_read("read_sched_debug", "/proc/sched_debug");
  try_list("list_sys_firmware", "/sys/firmware");
  try_mount();
  try_unshare("unshare_user", CLONE_NEWUSER);
  try_unshare("unshare_net", CLONE_NEWNET);
  try_raw_socket();
  try_landlock();
  try_exec_gains();
  try_http("tcp_direct", "/direct-tcp", 0, 0);
  try_udp();
  try_http("http_allowed", "/allowed", 1, 1);
  try_http("http_denied", "/denied", 1, 0);
  printf("\n  },\n  \"walk\": [");
  walk_entry("/proc", 0, kProcDepth);
  walk_entry("/sys", 0, kSysDepth);
  printf("\n  ]\n}\n");
  return 0;
}
