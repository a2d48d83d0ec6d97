// LD_PRELOAD library that counts a live process's heap allocations (every malloc, calloc,
// realloc and aligned allocation, so C++ operator new, Boost, Beast and OpenSSL alike), for
// bench/load.sh: allocations per request of the real server under load, transport included.
//
// The counts live in a file the caller names (JK_MALLOC_COUNT_FILE, created 16 bytes long and
// mapped shared): the script reads it before and after a run, with no signal or socket in the
// measured process. Layout: two little-endian uint64, allocations then frees. Without the
// variable (or if the file cannot be mapped) the counts stay in process memory, unread.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

extern void* __libc_malloc(size_t size);
extern void* __libc_calloc(size_t count, size_t size);
extern void* __libc_realloc(void* ptr, size_t size);
extern void* __libc_memalign(size_t align, size_t size);
extern void __libc_free(void* ptr);

static uint64_t local_counts[2];
static uint64_t* counts = local_counts;

__attribute__((constructor)) static void map_counts(void) {
  const char* path = getenv("JK_MALLOC_COUNT_FILE");
  if (path == NULL) return;
  const int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  if (ftruncate(fd, sizeof local_counts) == 0) {
    void* shared = mmap(NULL, sizeof local_counts, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (shared != MAP_FAILED) counts = shared;
  }
  close(fd);
}

static void count(int which) { __atomic_fetch_add(&counts[which], 1, __ATOMIC_RELAXED); }

void* malloc(size_t size) {
  count(0);
  return __libc_malloc(size);
}

void* calloc(size_t n, size_t size) {
  count(0);
  return __libc_calloc(n, size);
}

void* realloc(void* ptr, size_t size) {
  count(0);
  return __libc_realloc(ptr, size);
}

void* memalign(size_t align, size_t size) {
  count(0);
  return __libc_memalign(align, size);
}

void* aligned_alloc(size_t align, size_t size) { return memalign(align, size); }

int posix_memalign(void** out, size_t align, size_t size) {
  void* p = memalign(align, size);
  if (p == NULL) return 12;  // ENOMEM
  *out = p;
  return 0;
}

void free(void* ptr) {
  if (ptr == NULL) return;
  count(1);
  __libc_free(ptr);
}
