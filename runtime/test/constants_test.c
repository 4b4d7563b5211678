//===- constants_test.c - Weights onto huge pages (constants.c) ---*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// cnnrt_map_constants on read-only data mapped from a file, as a model's
// weights are: the bytes stay the same at the same addresses, the data
// stays read-only, only whole huge pages move, and CNNRT_HUGE_PAGES=0 or a
// range without a whole huge page moves nothing. Where the kernel gives
// huge pages to madvise()d memory the range must move.
//
//===----------------------------------------------------------------------===//

#define _GNU_SOURCE

#include "cnnrt/cnnrt.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define EXPECT(cond)                                                           \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);      \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static uint32_t pattern(size_t i) { return (uint32_t)(i * 2654435761u); }

/// Whether the kernel gives transparent huge pages to madvise()d memory.
static int thp_enabled(void) {
  char line[256] = "";
  FILE *file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (!file)
    return 0;
  if (!fgets(line, sizeof(line), file))
    line[0] = '\0';
  fclose(file);
  return strstr(line, "[always]") || strstr(line, "[madvise]");
}

/// A read-only private mapping of a temporary file of `size` bytes holding
/// pattern(i) in its i-th word.
static const uint32_t *map_file(size_t size) {
  char path[] = "/tmp/cnnrt-constants-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return NULL;
  unlink(path);
  uint32_t *words = malloc(size);
  for (size_t i = 0; words && i < size / 4; ++i)
    words[i] = pattern(i);
  int ok = words && write(fd, words, size) == (ssize_t)size;
  free(words);
  void *data = ok ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
  close(fd);
  return data == MAP_FAILED ? NULL : (const uint32_t *)data;
}

static int same_pattern(const uint32_t *words, size_t size) {
  for (size_t i = 0; i < size / 4; ++i)
    if (words[i] != pattern(i))
      return 0;
  return 1;
}

/// Whether writing to `address` kills a child process with SIGSEGV.
static int write_faults(const void *address) {
  pid_t child = fork();
  if (child == 0) {
    // The default action, not a sanitizer's report and abort.
    signal(SIGSEGV, SIG_DFL);
    *(volatile uint32_t *)(uintptr_t)address = 1;
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

int main(void) {
  const size_t huge = 2u << 20, size = 3 * huge + 12345 * 4;
  const uint32_t *words = map_file(size);
  if (!words) {
    fprintf(stderr, "cannot map a temporary file\n");
    return 1;
  }
  const char *begin = (const char *)words + 100,
             *end = (const char *)words + size - 100;

  // Turned off: nothing moves.
  setenv("CNNRT_HUGE_PAGES", "0", 1);
  EXPECT(cnnrt_map_constants(begin, end) == 0);
  unsetenv("CNNRT_HUGE_PAGES");
  // No whole huge page, an empty or reversed range, NULL: nothing moves.
  EXPECT(cnnrt_map_constants(begin, begin + huge - 200) == 0);
  EXPECT(cnnrt_map_constants(end, begin) == 0);
  EXPECT(cnnrt_map_constants(NULL, NULL) == 0);
  EXPECT(cnnrt_huge_page_bytes() == 0);

  int64_t moved = cnnrt_map_constants(begin, end);
  // Whole huge pages inside the range: two or three of them (the mapping
  // need not start on a huge page).
  if (thp_enabled())
    EXPECT(moved == (int64_t)(2 * huge) || moved == (int64_t)(3 * huge));
  else
    EXPECT(moved == 0);
  EXPECT(moved % (int64_t)huge == 0);
  EXPECT(cnnrt_huge_page_bytes() == moved);
  // The same bytes at the same addresses, still read-only.
  EXPECT(same_pattern(words, size));
  EXPECT(write_faults(words + size / 8));
  EXPECT(write_faults(words + size / 4 - 1));

  if (failures)
    return 1;
  printf("ok: %lld bytes on huge pages\n", (long long)moved);
  return 0;
}
