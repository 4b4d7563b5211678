//===- embed.c - Calling a cnnc-compiled model from C -------------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// Runs a model built with `cnnc --emit=lib model.mlir -o libmodel.so` on a
// synthetic input and prints the arg-max of each output row. See README.md.
//
//===----------------------------------------------------------------------===//

#include "cnn_model.h" // Written by cnnc next to libmodel.so.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

// Returns the element count of a shape the model reports.
static int64_t numel_of(int64_t rank, const int64_t *shape) {
  int64_t numel = 1;
  for (int64_t i = 0; i < rank; ++i)
    numel *= shape[i];
  return numel;
}

// 64-byte aligned buffer of `count` floats; C11 aligned_alloc wants the size
// to be a multiple of the alignment.
static float *alloc_floats(int64_t count) {
  size_t bytes = (size_t)count * sizeof(float);
  size_t rounded = (bytes + 63) / 64 * 64;
  return (float *)aligned_alloc(64, rounded ? rounded : 64);
}

int main(void) {
  // A library compiled for features this CPU lacks says so here, instead of
  // exiting inside cnn_model_run.
  char err[512];
  if (cnn_model_check_cpu(err, sizeof(err)) != 0) {
    fprintf(stderr, "error: %s\n", err);
    return 1;
  }
  printf("target: %s\n", cnn_model_target());
  int64_t input_rank = cnn_model_input_rank();
  const int64_t *input_shape = cnn_model_input_shape();
  int64_t output_rank = cnn_model_output_rank();
  const int64_t *output_shape = cnn_model_output_shape();
  int64_t input_numel = numel_of(input_rank, input_shape);
  int64_t output_numel = numel_of(output_rank, output_shape);

  printf("input shape: (");
  for (int64_t i = 0; i < input_rank; ++i)
    printf(i ? ", %lld" : "%lld", (long long)input_shape[i]);
  printf(")\noutput shape: (");
  for (int64_t i = 0; i < output_rank; ++i)
    printf(i ? ", %lld" : "%lld", (long long)output_shape[i]);
  printf(")\n");

  float *input = alloc_floats(input_numel);
  float *output = alloc_floats(output_numel);
  if (!input || !output) {
    fprintf(stderr, "error: out of memory\n");
    free(input);
    free(output);
    return 1;
  }

  // The same xorshift32 input a model executable uses without --input, so
  // the results can be compared with `./model`.
  uint32_t x = 0x9E3779B9u;
  for (int64_t i = 0; i < input_numel; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    input[i] = (float)(x >> 8) * (1.0f / 8388608.0f) - 1.0f;
  }

  cnn_model_run(input, output);

  // Treat the output as [rows, columns]: [N, C] for a classifier, a single
  // row otherwise.
  int64_t rows = output_rank == 2 ? output_shape[0] : 1;
  int64_t columns = rows > 0 ? output_numel / rows : 0;
  for (int64_t row = 0; row < rows && columns > 0; ++row) {
    const float *scores = output + row * columns;
    int64_t best = 0;
    for (int64_t c = 1; c < columns; ++c)
      if (scores[c] > scores[best])
        best = c;
    printf("row %lld: argmax %lld (score %.4f)\n", (long long)row,
           (long long)best, scores[best]);
  }

  free(input);
  free(output);
  return 0;
}
