//===- fma_peak.c - Measured fp32 FMA peak of one core --------------------===//
//
// Independent FMA chains on full vectors keep every FMA pipe busy (16 chains
// in zmm registers, 12 in the 16 ymm registers of AVX2 so none spill); the
// result is the ceiling that bench/run.py reports percentages against.
//
//   clang-22 -O2 -march=native bench/fma_peak.c    zmm where the CPU has
//                                                   AVX-512F, else ymm
//   clang-22 -O2 -mavx2 -mfma -mno-avx512f bench/fma_peak.c
//                                                   ymm, also on an AVX-512
//                                                   CPU (the peak of AVX2
//                                                   code there)
//
// Same numbers as cnnrt_measure_fma_peak_gflops(512) and (256).
//
//===----------------------------------------------------------------------===//

#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define WIDTH 16
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SET1(x) _mm512_set1_ps(x)
#define SUM(v) _mm512_reduce_add_ps(v)
#define CHAINS 16
#else
#define CHAINS 12
typedef __m256 vec;
#define WIDTH 8
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SET1(x) _mm256_set1_ps(x)
static float SUM(__m256 v) {
  float lanes[8];
  _mm256_storeu_ps(lanes, v);
  float s = 0;
  for (int i = 0; i < 8; ++i)
    s += lanes[i];
  return s;
}
#endif

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void) {
  const long iterations = 200000000L / WIDTH;
  vec acc[CHAINS];
  for (int i = 0; i < CHAINS; ++i)
    acc[i] = SET1((float)i);
  vec a = SET1(0.999999f), b = SET1(1e-7f);
  double best = 0;
  for (int trial = 0; trial < 5; ++trial) {
    double start = now();
    for (long it = 0; it < iterations; ++it)
      for (int i = 0; i < CHAINS; ++i)
        acc[i] = FMA(acc[i], a, b);
    double seconds = now() - start;
    double gflops = 2.0 * WIDTH * CHAINS * iterations / seconds * 1e-9;
    if (gflops > best)
      best = gflops;
  }
  float sink = 0;
  for (int i = 0; i < CHAINS; ++i)
    sink += SUM(acc[i]);
  printf("fma_peak_gflops=%.1f width=%d checksum=%g\n", best, WIDTH, sink);
  return 0;
}
