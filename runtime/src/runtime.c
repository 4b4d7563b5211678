//===- runtime.c - Tensors, timing and threads for cnnrt ----------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//

// For clock_gettime and posix_memalign under -std=c11.
#define _POSIX_C_SOURCE 200809L

#include "cnnrt/cnnrt.h"
#include "internal.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

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
// Timing (threads: threads.c)
//===----------------------------------------------------------------------===//

double cnnrt_now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec * 1e3 + (double)now.tv_nsec * 1e-6;
}

void cnnrt_keep_freed_memory(void) {
#ifdef M_MMAP_THRESHOLD
  // Large blocks from the heap rather than fresh mappings, and no trimming
  // of the heap's top on free.
  mallopt(M_MMAP_THRESHOLD, INT_MAX);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

//===----------------------------------------------------------------------===//
// Per-layer profiling
//===----------------------------------------------------------------------===//

static struct {
  int enabled;
  int32_t layers;
  int32_t current; // -1: between runs.
  double since_ms;
  double *layer_ms;
} profile = {0, 0, -1, 0.0, NULL};

void cnnrt_layer_begin(int32_t layer) {
  if (!profile.enabled)
    return;
  double now = cnnrt_now_ms();
  if (profile.current >= 0 && profile.current < profile.layers)
    profile.layer_ms[profile.current] += now - profile.since_ms;
  profile.current = layer;
  profile.since_ms = now;
}

int cnnrt_profile_start(int32_t layers) {
  if (layers < 0)
    return CNNRT_ERR_INVALID_ARGUMENT;
  double *times = calloc(layers > 0 ? (size_t)layers : 1, sizeof(double));
  if (!times)
    return CNNRT_ERR_OUT_OF_MEMORY;
  free(profile.layer_ms);
  profile.layer_ms = times;
  profile.layers = layers;
  profile.current = -1;
  profile.enabled = 1;
  return CNNRT_OK;
}

void cnnrt_profile_stop(void) {
  profile.enabled = 0;
  profile.current = -1;
}

double cnnrt_profile_layer_ms(int32_t layer) {
  if (layer < 0 || layer >= profile.layers || !profile.layer_ms)
    return 0.0;
  return profile.layer_ms[layer];
}

//===----------------------------------------------------------------------===//
// FMA peak
//===----------------------------------------------------------------------===//

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

// Independent FMA chains, enough to cover FMA latency x throughput (4 cycles
// x 2 per cycle needs 8; more hides the loop overhead), every accumulator
// and both constants in registers: 16 chains in 32 zmm registers, 12 in the
// 16 ymm registers of AVX2 (16 would spill). Runs `iterations` times and
// returns the FLOPs done; the result is stored so the work is not optimized
// away.
__attribute__((target("avx512f"))) static double fma_chains_512(long iterations,
                                                                float *sink) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i)
    acc[i] = _mm512_set1_ps((float)i);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < 16; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 sum = acc[0];
  for (int i = 1; i < 16; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  *sink = _mm512_reduce_add_ps(sum);
  return (double)iterations * 16 * 16 * 2;
}

__attribute__((target("avx2,fma"))) static double
fma_chains_256(long iterations, float *sink) {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i)
    acc[i] = _mm256_set1_ps((float)i);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < 12; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  __m256 sum = acc[0];
  for (int i = 1; i < 12; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  *sink = lanes[0];
  return (double)iterations * 12 * 8 * 2;
}

double cnnrt_measure_fma_peak_gflops(int vector_bits) {
  double (*chains)(long, float *) = NULL;
  __builtin_cpu_init();
  if (vector_bits == 512 && __builtin_cpu_supports("avx512f"))
    chains = fma_chains_512;
  else if (vector_bits == 256 && __builtin_cpu_supports("avx2") &&
           __builtin_cpu_supports("fma"))
    chains = fma_chains_256;
  if (!chains)
    return 0.0;
  volatile float sink;
  float value;
  chains(100000, &value); // warm-up: clocks up, code in cache
  double best = 0.0;
  for (int trial = 0; trial < 5; ++trial) {
    double start = cnnrt_now_ms();
    double flops = chains(2000000, &value);
    double ms = cnnrt_now_ms() - start;
    if (ms > 0 && flops / ms * 1e-6 > best)
      best = flops / ms * 1e-6;
  }
  sink = value;
  (void)sink;
  return best;
}
#else
double cnnrt_measure_fma_peak_gflops(int vector_bits) {
  (void)vector_bits;
  return 0.0;
}
#endif
