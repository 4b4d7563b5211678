//===- runtime.c - Tensors, timing and threads for cnnrt ----------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//

// For clock_gettime, posix_memalign and sysconf under -std=c11.
#define _POSIX_C_SOURCE 200809L

#include "cnnrt/cnnrt.h"
#include "internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// Weak, so that programs without an OpenMP runtime still link; the address is
// NULL then.
extern void omp_set_num_threads(int) __attribute__((weak));

void cnnrt_set_error(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0)
    return;
  va_list args;
  va_start(args, fmt);
  vsnprintf(err, errlen, fmt, args);
  va_end(args);
  for (char *c = err; *c; ++c)
    if ((unsigned char)*c < 0x20 || *c == 0x7f)
      *c = '?';
}
//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

int cnnrt_tensor_alloc(cnnrt_tensor *tensor, int64_t rank, const int64_t *shape,
                       char *err, size_t errlen) {
  if (!tensor) {
    cnnrt_set_error(err, errlen, "cnnrt_tensor_alloc: tensor is NULL");
    return CNNRT_ERR_INVALID_ARGUMENT;
  }
  memset(tensor, 0, sizeof(*tensor));
  if (rank < 0 || rank > CNNRT_MAX_RANK) {
    cnnrt_set_error(err, errlen,
                    "rank %lld is not supported (expected 0 to %d)",
                    (long long)rank, CNNRT_MAX_RANK);
    return CNNRT_ERR_INVALID_ARGUMENT;
  }
  if (rank > 0 && !shape) {
    cnnrt_set_error(err, errlen, "cnnrt_tensor_alloc: shape is NULL");
    return CNNRT_ERR_INVALID_ARGUMENT;
  }

  char shape_str[CNNRT_SHAPE_STR_MAX];
  int has_zero_dim = 0;
  for (int64_t i = 0; i < rank; ++i) {
    if (shape[i] < 0) {
      cnnrt_set_error(
          err, errlen, "shape %s has a negative dimension",
          cnnrt_format_shape(rank, shape, shape_str, sizeof(shape_str)));
      return CNNRT_ERR_INVALID_ARGUMENT;
    }
    if (shape[i] == 0)
      has_zero_dim = 1;
  }
  // With a 0-size dim the other dims may be anything; do not report overflow.
  int64_t numel = has_zero_dim ? 0 : 1;
  for (int64_t i = 0; i < rank && !has_zero_dim; ++i) {
    if (numel > INT64_MAX / shape[i]) {
      cnnrt_set_error(
          err, errlen, "shape %s has too many elements",
          cnnrt_format_shape(rank, shape, shape_str, sizeof(shape_str)));
      return CNNRT_ERR_TOO_LARGE;
    }
    numel *= shape[i];
  }
  if ((uint64_t)numel > (SIZE_MAX - CNNRT_ALIGNMENT) / sizeof(float)) {
    cnnrt_set_error(
        err, errlen, "shape %s is too large for this machine",
        cnnrt_format_shape(rank, shape, shape_str, sizeof(shape_str)));
    return CNNRT_ERR_TOO_LARGE;
  }

  // Round up to whole cache lines so vectorized code may load a full line at
  // the tail; never 0 so that data is non-NULL for empty tensors too.
  size_t bytes = (size_t)numel * sizeof(float);
  size_t padded =
      (bytes + CNNRT_ALIGNMENT - 1) / CNNRT_ALIGNMENT * CNNRT_ALIGNMENT;
  if (padded == 0)
    padded = CNNRT_ALIGNMENT;
  void *data = NULL;
  if (posix_memalign(&data, CNNRT_ALIGNMENT, padded) != 0 || !data) {
    cnnrt_set_error(
        err, errlen, "out of memory allocating %zu bytes for shape %s", bytes,
        cnnrt_format_shape(rank, shape, shape_str, sizeof(shape_str)));
    return CNNRT_ERR_OUT_OF_MEMORY;
  }
  memset(data, 0, padded);

  tensor->data = (float *)data;
  tensor->rank = rank;
  for (int64_t i = 0; i < rank; ++i)
    tensor->shape[i] = shape[i];
  tensor->numel = numel;
  return CNNRT_OK;
}

void cnnrt_tensor_free(cnnrt_tensor *tensor) {
  if (!tensor)
    return;
  free(tensor->data);
  memset(tensor, 0, sizeof(*tensor));
}

int cnnrt_shape_equal(int64_t rank_a, const int64_t *shape_a, int64_t rank_b,
                      const int64_t *shape_b) {
  if (rank_a != rank_b)
    return 0;
  for (int64_t i = 0; i < rank_a; ++i)
    if (shape_a[i] != shape_b[i])
      return 0;
  return 1;
}

char *cnnrt_format_shape(int64_t rank, const int64_t *shape, char *buf,
                         size_t buflen) {
  if (!buf || buflen == 0)
    return buf;
  size_t used = 0;
  // Appends like snprintf but never moves `used` past the end, so later
  // appends are harmless no-ops once the buffer is full.
#define APPEND(...)                                                            \
  do {                                                                         \
    if (used < buflen) {                                                       \
      int n = snprintf(buf + used, buflen - used, __VA_ARGS__);                \
      used =                                                                   \
          (n < 0 || (size_t)n >= buflen - used) ? buflen : used + (size_t)n;   \
    }                                                                          \
  } while (0)
  APPEND("(");
  for (int64_t i = 0; i < rank && shape; ++i)
    APPEND(i == 0 ? "%lld" : ", %lld", (long long)shape[i]);
  // Python spells a 1-tuple "(3,)".
  APPEND(rank == 1 ? ",)" : ")");
#undef APPEND
  return buf;
}

//===----------------------------------------------------------------------===//
// Timing and threads
//===----------------------------------------------------------------------===//

double cnnrt_now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec * 1e3 + (double)now.tv_nsec * 1e-6;
}

void cnnrt_set_num_threads(int n) {
  if (n >= 1 && omp_set_num_threads)
    omp_set_num_threads(n);
}

int cnnrt_openmp_available(void) { return omp_set_num_threads != NULL; }

int cnnrt_default_num_threads(void) {
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  if (online < 1)
    return 1;
  return online > INT32_MAX ? INT32_MAX : (int)online;
}
