//===- ab.c - Interleaved A/B timing of two compiled models ---------------===//
//
// Two builds of one model (objects compiled with `--name a` and `--name b`,
// each with its own header) linked into one program: one inference of a,
// then one of b, repeated. Each pair runs under the same conditions, so the
// per-pair ratio b/a is robust against a machine whose speed drifts by tens
// of percent over seconds (a shared VM), where timing one binary and then
// the other is not. bench/ab.sh builds and runs it.
//
//===----------------------------------------------------------------------===//

#include "a.h"
#include "b.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double nowMs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compareDoubles(const void *x, const void *y) {
  double d = *(const double *)x - *(const double *)y;
  return (d > 0) - (d < 0);
}

static size_t elements(const int64_t *shape, int64_t rank) {
  size_t n = 1;
  for (int64_t i = 0; i < rank; ++i)
    n *= (size_t)shape[i];
  return n;
}

int main(int argc, char **argv) {
  int pairs = argc > 1 ? atoi(argv[1]) : 200;
  if (pairs < 4) {
    fprintf(stderr, "ab: error: at least 4 pairs, not '%s'\n", argv[1]);
    return 2;
  }
  size_t in = elements(a_input_shape(), a_input_rank());
  size_t out = elements(a_output_shape(), a_output_rank());
  if (in != elements(b_input_shape(), b_input_rank()) ||
      out != elements(b_output_shape(), b_output_rank())) {
    fprintf(stderr, "ab: error: the two models' shapes differ\n");
    return 2;
  }
  float *x = malloc(in * sizeof(float));
  float *ya = malloc(out * sizeof(float)), *yb = malloc(out * sizeof(float));
  double *ta = malloc(pairs * sizeof(double)),
         *tb = malloc(pairs * sizeof(double));
  double *ratio = malloc(pairs * sizeof(double));
  if (!x || !ya || !yb || !ta || !tb || !ratio) {
    fprintf(stderr, "ab: error: out of memory\n");
    return 2;
  }
  unsigned state = 12345;
  for (size_t i = 0; i < in; ++i) {
    state = state * 1103515245u + 12345u;
    x[i] = (float)((state >> 8) & 0xffff) / 32768.0f - 1.0f;
  }
  for (int i = 0; i < 5; ++i) // warm-up: workspaces, pages, caches
    if (a_run(x, ya) || b_run(x, yb)) {
      fprintf(stderr, "ab: error: %s%s\n", a_error_message(),
              b_error_message());
      return 1;
    }
  for (int i = 0; i < pairs; ++i) {
    double t0 = nowMs();
    a_run(x, ya);
    double t1 = nowMs();
    b_run(x, yb);
    double t2 = nowMs();
    ta[i] = t1 - t0;
    tb[i] = t2 - t1;
    ratio[i] = tb[i] / ta[i];
  }
  double maxDiff = 0, maxRef = 0;
  for (size_t i = 0; i < out; ++i) {
    double d = ya[i] > yb[i] ? ya[i] - yb[i] : yb[i] - ya[i];
    double r = ya[i] > 0 ? ya[i] : -ya[i];
    maxDiff = d > maxDiff ? d : maxDiff;
    maxRef = r > maxRef ? r : maxRef;
  }
  qsort(ta, pairs, sizeof(double), compareDoubles);
  qsort(tb, pairs, sizeof(double), compareDoubles);
  qsort(ratio, pairs, sizeof(double), compareDoubles);
  printf("a: median %.4f ms, min %.4f ms\n", ta[pairs / 2], ta[0]);
  printf("b: median %.4f ms, min %.4f ms\n", tb[pairs / 2], tb[0]);
  printf("b/a per pair: median %.4f (quartiles %.4f, %.4f) over %d pairs\n",
         ratio[pairs / 2], ratio[pairs / 4], ratio[3 * pairs / 4], pairs);
  printf("outputs: max |a - b| %.3g (%.3g of the largest |a|)\n", maxDiff,
         maxRef > 0 ? maxDiff / maxRef : 0.0);
  return 0;
}
