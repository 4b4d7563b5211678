//===- constants.c - A model's weights on huge pages --------------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// A compiled model's weights are read-only data of the executable or
// library, mapped from the file in 4 KiB pages. Streaming hundreds of MiB of
// them (VGG-16's 411 MiB first linear layer, ResNet-50's layer4 Winograd
// filters at batch 8) then costs a TLB miss every 4 KiB; on the 2-core Zen 5
// VM of docs/PERFORMANCE.md such layers ran 3-6x slower on two threads than
// on one. Before a model's first run the runtime copies the 2 MiB-aligned
// interior of its weight section into anonymous memory advised for
// transparent huge pages, makes it read-only and moves it over the original
// addresses (mremap), so the code reads the same bytes at the same
// addresses through 2 MiB pages.
//
//===----------------------------------------------------------------------===//

#define _GNU_SOURCE

#include "cnnrt/cnnrt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <sys/mman.h>
#endif

static int64_t total_huge_bytes;

int64_t cnnrt_huge_page_bytes(void) {
  return __atomic_load_n(&total_huge_bytes, __ATOMIC_RELAXED);
}

#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MREMAP_FIXED)

/// The first line of `path`, or "" if it cannot be read.
static void read_line(const char *path, char *line, size_t size) {
  line[0] = '\0';
  FILE *file = fopen(path, "r");
  if (!file)
    return;
  if (!fgets(line, (int)size, file))
    line[0] = '\0';
  fclose(file);
}

/// The size of a transparent huge page, or 0 if the kernel does not give
/// them to madvise()d memory.
static size_t huge_page_size(void) {
  char line[256];
  read_line("/sys/kernel/mm/transparent_hugepage/enabled", line, sizeof(line));
  if (!strstr(line, "[always]") && !strstr(line, "[madvise]"))
    return 0;
  read_line("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", line,
            sizeof(line));
  unsigned long long size = strtoull(line, NULL, 10);
  // A power of two of at least 64 KiB, else the x86-64 size.
  if (size < (64u << 10) || (size & (size - 1)) != 0)
    size = 2u << 20;
  return (size_t)size;
}

int64_t cnnrt_map_constants(const void *begin, const void *end) {
  const char *disable = getenv("CNNRT_HUGE_PAGES");
  if (disable && strcmp(disable, "0") == 0)
    return 0;
  if (!begin || !end || (uintptr_t)end <= (uintptr_t)begin)
    return 0;
  size_t huge = huge_page_size();
  if (huge == 0)
    return 0;
  // Only whole huge pages inside [begin, end): the pages around them may
  // hold other data (and another mapping's permissions).
  uintptr_t lo = ((uintptr_t)begin + huge - 1) & ~(uintptr_t)(huge - 1);
  uintptr_t hi = (uintptr_t)end & ~(uintptr_t)(huge - 1);
  if (hi <= lo)
    return 0;
  size_t size = hi - lo;
  char *region = (char *)mmap(NULL, size + huge, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED)
    return 0;
  // An aligned copy; the slack around it goes back at once.
  char *copy =
      (char *)(((uintptr_t)region + huge - 1) & ~(uintptr_t)(huge - 1));
  if (copy > region)
    munmap(region, (size_t)(copy - region));
  if (region + size + huge > copy + size)
    munmap(copy + size, (size_t)(region + size + huge - (copy + size)));
  if (madvise(copy, size, MADV_HUGEPAGE) != 0) {
    munmap(copy, size);
    return 0;
  }
  memcpy(copy, (const void *)lo, size);
  if (mprotect(copy, size, PROT_READ) != 0 ||
      mremap(copy, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)lo) ==
          MAP_FAILED) {
    munmap(copy, size);
    return 0;
  }
  __atomic_add_fetch(&total_huge_bytes, (int64_t)size, __ATOMIC_RELAXED);
  return (int64_t)size;
}

#else

int64_t cnnrt_map_constants(const void *begin, const void *end) {
  (void)begin;
  (void)end;
  return 0;
}

#endif
