//===- fake_model.c - Stand-in model for testing main.c -----------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// Implements the cnn_model_abi.h entry points without the compiler so that
// runtime/src/main.c can be linked and exercised on its own:
//
//   cc -std=c11 -Iruntime/include runtime/src/*.c runtime/test/fake_model.c
//      -lm -o fake_model
//
// Default: input (1, 3, 4, 4), output (1, 10), a "classifier" whose score k
// is a fixed weighted sum of the inputs. Build with -DFAKE_MODEL_FEATURE_MAP
// for a rank-4 output (1, 2, 2, 2) that exercises the statistics printout.
//
//===----------------------------------------------------------------------===//

#include "cnnrt/cnn_model_abi.h"

#define FAKE_INPUT_NUMEL (1 * 3 * 4 * 4)

static const int64_t fake_input_shape[] = {1, 3, 4, 4};
#ifdef FAKE_MODEL_FEATURE_MAP
static const int64_t fake_output_shape[] = {1, 2, 2, 2};
#define FAKE_OUTPUT_NUMEL 8
#else
static const int64_t fake_output_shape[] = {1, 10};
#define FAKE_OUTPUT_NUMEL 10
#endif

int64_t cnn_model_input_rank(void) { return 4; }
const int64_t *cnn_model_input_shape(void) { return fake_input_shape; }

int64_t cnn_model_output_rank(void) {
  return (int64_t)(sizeof(fake_output_shape) / sizeof(fake_output_shape[0]));
}
const int64_t *cnn_model_output_shape(void) { return fake_output_shape; }

// output[k] = sum_i input[i] * w(k, i) + 0.01 k, with small integer weights
// so results are easy to recompute in a test.
void cnn_model_run(const float *input, float *output) {
  for (int k = 0; k < FAKE_OUTPUT_NUMEL; ++k) {
    float sum = 0.01f * (float)k;
    for (int i = 0; i < FAKE_INPUT_NUMEL; ++i)
      sum += input[i] * (float)((i * 7 + k * 3) % 11 - 5);
    output[k] = sum;
  }
}
