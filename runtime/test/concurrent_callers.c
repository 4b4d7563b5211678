//===- concurrent_callers.c - A model library called from many threads ----===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// Linked with a model built by `cnnc --emit=lib` (runtime.standalone_binary
// builds and runs it): computes a reference output on one thread, then has
// 4 program threads call cnn_model_run at the same time, 10 times each, with
// the runtime's pool set to 2 threads (one call at a time gets the pool, the
// others run alone), and checks that every output equals the reference bit
// for bit. Prints "concurrent_callers: ok" and exits 0 on success.
//
//===----------------------------------------------------------------------===//

#include "cnnrt/cnn_model_abi.h"
#include "cnnrt/cnnrt.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALLERS 4
#define CALLS 10

static float *input, *reference;
static int64_t input_numel, output_numel;

static int64_t numel_of(int64_t rank, const int64_t *shape) {
  int64_t numel = 1;
  for (int64_t i = 0; i < rank; ++i)
    numel *= shape[i];
  return numel;
}

static float *alloc_floats(int64_t count) {
  size_t bytes = ((size_t)count * sizeof(float) + 63) / 64 * 64;
  return (float *)aligned_alloc(64, bytes ? bytes : 64);
}

static void *caller(void *arg) {
  (void)arg;
  float *output = alloc_floats(output_numel);
  intptr_t mismatches = 0;
  for (int call = 0; call < CALLS; ++call) {
    memset(output, 0xff, (size_t)output_numel * sizeof(float));
    if (cnn_model_run(input, output) != 0) {
      fprintf(stderr, "concurrent_callers: %s\n", cnn_model_error_message());
      ++mismatches;
      continue;
    }
    if (memcmp(output, reference, (size_t)output_numel * sizeof(float)) != 0)
      ++mismatches;
  }
  free(output);
  return (void *)mismatches;
}

int main(void) {
  char err[512];
  if (cnn_model_check_cpu(err, sizeof(err)) != 0) {
    fprintf(stderr, "concurrent_callers: %s\n", err);
    return 1;
  }
  input_numel = numel_of(cnn_model_input_rank(), cnn_model_input_shape());
  output_numel = numel_of(cnn_model_output_rank(), cnn_model_output_shape());
  input = alloc_floats(input_numel);
  reference = alloc_floats(output_numel);
  if (!input || !reference)
    return 1;
  uint32_t x = 12345;
  for (int64_t i = 0; i < input_numel; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    input[i] = (float)(x >> 8) / 8388608.0f - 1.0f;
  }
  cnnrt_set_num_threads(1);
  if (cnn_model_run(input, reference) != 0) {
    fprintf(stderr, "concurrent_callers: %s\n", cnn_model_error_message());
    return 1;
  }
  cnnrt_set_num_threads(2);

  pthread_t threads[CALLERS];
  for (int i = 0; i < CALLERS; ++i)
    if (pthread_create(&threads[i], NULL, caller, NULL) != 0) {
      fprintf(stderr, "concurrent_callers: pthread_create failed\n");
      return 1;
    }
  intptr_t mismatches = 0;
  for (int i = 0; i < CALLERS; ++i) {
    void *result = NULL;
    pthread_join(threads[i], &result);
    mismatches += (intptr_t)result;
  }
  if (mismatches) {
    fprintf(stderr, "concurrent_callers: %ld of %d outputs differ\n",
            (long)mismatches, CALLERS * CALLS);
    return 1;
  }
  printf("concurrent_callers: ok\n");
  return 0;
}
