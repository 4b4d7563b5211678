//===- cpu.c - CPU feature checks and variant dispatch --------------*- C
//-*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// A compiled model holds one variant of its code per target it was compiled
// for (`cnnc --target-cpu=x86-64-v3,znver4`), each with the list of CPU
// features its code needs. Before the model's code first runs, the model's
// entry points ask this file for the first variant, best first, whose
// features this CPU has; with none, they report the missing features and
// the fix in one line instead of dying of an illegal instruction.
//
//===----------------------------------------------------------------------===//

#include "cnnrt/cnnrt.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cnnrt_cpu_supports(const char *feature) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  __builtin_cpu_init();
#define CNNRT_CPU_FEATURE(name)                                                \
  if (strcmp(feature, name) == 0)                                              \
    return __builtin_cpu_supports(name) ? 1 : 0;
#include "cnnrt/cpu_features.def"
#endif
  (void)feature;
  return -1;
}

/// Appends the features of the comma-separated `features` that this CPU
/// lacks to `out` ("a, b"); returns how many.
static int append_missing(const char *features, char *out, size_t outlen) {
  int missing = 0;
  const char *p = features ? features : "";
  while (*p) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char name[64];
    if (len > 0 && len < sizeof(name)) {
      memcpy(name, p, len);
      name[len] = '\0';
      if (cnnrt_cpu_supports(name) != 1) {
        size_t used = strlen(out);
        if (used < outlen)
          snprintf(out + used, outlen - used, "%s%s", missing ? ", " : "",
                   name);
        ++missing;
      }
    }
    p += len;
    if (*p == ',')
      ++p;
  }
  return missing;
}

/// The best generic target this CPU runs: what to recompile for.
static const char *suggested_target(void) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4"))
    return "x86-64-v4";
  if (__builtin_cpu_supports("x86-64-v3"))
    return "x86-64-v3";
  if (__builtin_cpu_supports("x86-64-v2"))
    return "x86-64-v2";
#endif
  return "x86-64";
}

int32_t cnnrt_variant_select(const cnnrt_variant *variants, int32_t count,
                             int32_t *selected, char *err, size_t errlen) {
  int32_t cached = selected ? __atomic_load_n(selected, __ATOMIC_ACQUIRE) : -1;
  if (cached >= 0 && cached < count)
    return cached;
  for (int32_t i = 0; i < count; ++i) {
    char missing[512] = "";
    if (append_missing(variants[i].features, missing, sizeof(missing)) == 0) {
      if (selected)
        __atomic_store_n(selected, i, __ATOMIC_RELEASE);
      return i;
    }
  }
  // None runs here: say what each variant lacks and what to do.
  char lacks[1024] = "";
  for (int32_t i = 0; i < count; ++i) {
    char missing[512] = "";
    append_missing(variants[i].features, missing, sizeof(missing));
    size_t used = strlen(lacks);
    if (used < sizeof(lacks))
      snprintf(lacks + used, sizeof(lacks) - used, "%s'%s' needs %s",
               i ? "; " : "", variants[i].target, missing);
  }
  const char *fix = suggested_target();
  if (count == 1)
    cnnrt_set_error(err, errlen,
                    "this CPU cannot run the model: its code for %s; "
                    "recompile it with --target-cpu=%s (or a list such as "
                    "--target-cpu=%s,%s for one binary that runs on both)",
                    lacks, fix, fix, variants[0].target);
  else
    cnnrt_set_error(err, errlen,
                    "this CPU runs none of the model's %d variants (%s); "
                    "recompile it with %s added to --target-cpu",
                    (int)count, lacks, fix);
  return -1;
}
