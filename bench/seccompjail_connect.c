// seccompjail_connect: per-connect cost. Opens N TCP connections to 127.0.0.1:PORT one after the
// other (socket + connect + close; the listener drains them) and prints the median and p90 of
// the connect() call alone, in microseconds, plus the mean of socket+connect+close.
//   seccompjail_connect PORT N [nonblock]
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int compare(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const int port = atoi(argv[1]), n = atoi(argv[2]);
  const int nonblock = argc > 3 && strcmp(argv[3], "nonblock") == 0;
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  double* samples = calloc((size_t)n, sizeof(double));
  const double start = now_us();
  for (int i = 0; i < n; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
    const double t0 = now_us();
    int rc = connect(fd, (struct sockaddr*)&to, sizeof(to));
    if (rc != 0 && nonblock) {
      struct pollfd p = {fd, POLLOUT, 0};
      rc = poll(&p, 1, 5000) == 1 ? 0 : -1;
    }
    samples[i] = now_us() - t0;
    if (rc != 0) {
      perror("connect");
      return 1;
    }
    close(fd);
  }
  const double total = now_us() - start;
  qsort(samples, (size_t)n, sizeof(double), compare);
  printf("connect_median_us=%.1f connect_p90_us=%.1f per_connection_mean_us=%.1f\n", samples[n / 2],
         samples[n * 9 / 10], total / n);
  return 0;
}
