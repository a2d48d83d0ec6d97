// seccomp_probe: escape attempts that need C, run as the agent by tests/integration/
// test_seccompjail.py (compiled there with `cc -O2 -pthread`).
//   seccomp_probe race-tcp N PROXY_PORT_IGNORED REAL_PORT
//       N connects to 192.0.2.1:80 while a second thread keeps rewriting the sockaddr to
//       127.0.0.1:REAL_PORT; prints "proxied=A direct=B failed=C" from the first reply bytes.
//   seccomp_probe race-udp N SINK_PORT
//       N sendto()s of "x" to 192.0.2.53:53 while a thread rewrites the address to
//       127.0.0.1:SINK_PORT; prints "sent=A refused=B".
//   seccomp_probe int80 PORT
//       socket()+connect() to 127.0.0.1:PORT through the i386 entry (int $0x80, syscalls 359 and
//       362, sockaddr in the low 4 GiB); prints "socket=R connect=R" (negative errno values).
//   seccomp_probe int80-available: exit 0 when int $0x80 works (getpid through the i386 entry).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kI386Getpid = 20, kI386Socket = 359, kI386Connect = 362, kReply = 16 };

static struct sockaddr_in* shared_address;
static atomic_int stop_flipping;
static in_port_t flip_a_port, flip_b_port;
static in_addr_t flip_a_addr, flip_b_addr;

static void set_address(struct sockaddr_in* a, const char* ip, int port) {
  memset(a, 0, sizeof(*a));
  a->sin_family = AF_INET;
  a->sin_port = htons((uint16_t)port);
  inet_pton(AF_INET, ip, &a->sin_addr);
}

static void* flipper(void* unused) {
  (void)unused;
  volatile struct sockaddr_in* a = shared_address;
  while (!atomic_load(&stop_flipping)) {
    a->sin_addr.s_addr = flip_b_addr;
    a->sin_port = flip_b_port;
    a->sin_addr.s_addr = flip_a_addr;
    a->sin_port = flip_a_port;
  }
  return NULL;
}

static pthread_t start_flipping(const char* a_ip, int a_port, const char* b_ip, int b_port) {
  struct sockaddr_in a, b;
  set_address(&a, a_ip, a_port);
  set_address(&b, b_ip, b_port);
  flip_a_addr = a.sin_addr.s_addr;
  flip_a_port = a.sin_port;
  flip_b_addr = b.sin_addr.s_addr;
  flip_b_port = b.sin_port;
  shared_address = malloc(sizeof(*shared_address));
  *shared_address = a;
  pthread_t t;
  pthread_create(&t, NULL, flipper, NULL);
  return t;
}

static int race_tcp(int n, int real_port) {
  pthread_t t = start_flipping("192.0.2.1", 80, "127.0.0.1", real_port);
  int proxied = 0, direct = 0, failed = 0;
  for (int i = 0; i < n; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    char reply[kReply] = {0};
    if (connect(fd, (struct sockaddr*)shared_address, sizeof(*shared_address)) != 0 ||
        read(fd, reply, sizeof(reply) - 1) <= 0) {
      ++failed;
    } else if (strncmp(reply, "HTTP/1.1 200", 12) == 0) {
      ++proxied;  // the stand-in proxy answers HTTP; the real upstream says DIRECT
    } else {
      ++direct;
    }
    close(fd);
  }
  atomic_store(&stop_flipping, 1);
  pthread_join(t, NULL);
  printf("proxied=%d direct=%d failed=%d\n", proxied, direct, failed);
  return 0;
}

static int race_udp(int n, int sink_port) {
  pthread_t t = start_flipping("192.0.2.53", 53, "127.0.0.1", sink_port);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int sent = 0, refused = 0;
  for (int i = 0; i < n; ++i) {
    if (sendto(fd, "x", 1, 0, (struct sockaddr*)shared_address, sizeof(*shared_address)) == 1) {
      ++sent;
    } else {
      ++refused;
    }
  }
  atomic_store(&stop_flipping, 1);
  pthread_join(t, NULL);
  printf("sent=%d refused=%d\n", sent, refused);
  return 0;
}

#if defined(__x86_64__)
static long int80(long nr, long a, long b, long c) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
  return ret;
}

static int int80_connect(int port) {
  struct sockaddr_in* low =
      mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (low == MAP_FAILED) return 3;
  set_address(low, "127.0.0.1", port);
  long fd = int80(kI386Socket, AF_INET, SOCK_STREAM, 0);
  long rc = fd < 0 ? fd : int80(kI386Connect, fd, (long)low, sizeof(*low));
  printf("socket=%ld connect=%ld\n", fd < 0 ? fd : 0, rc);
  return 0;
}
#else
// No i386 entry on other architectures (arm64's compat ABI needs a 32-bit process): the int80
// subcommands report it unavailable, and the test skips saying so.
static long int80(long nr, long a, long b, long c) {
  (void)nr, (void)a, (void)b, (void)c;
  return -ENOSYS;
}
static int int80_connect(int port) {
  (void)port;
  return 3;
}
#endif

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc == 5 && strcmp(argv[1], "race-tcp") == 0) return race_tcp(atoi(argv[2]), atoi(argv[4]));
  if (argc == 4 && strcmp(argv[1], "race-udp") == 0) return race_udp(atoi(argv[2]), atoi(argv[3]));
  if (argc == 3 && strcmp(argv[1], "int80") == 0) return int80_connect(atoi(argv[2]));
  if (argc == 2 && strcmp(argv[1], "int80-available") == 0) {
    return int80(kI386Getpid, 0, 0, 0) == getpid() ? 0 : 1;
  }
  fprintf(stderr, "usage: see the comment at the top of seccomp_probe.c\n");
  return 2;
}
