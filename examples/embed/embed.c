//===- embed.c - Calling a cnnc-compiled model from C -------------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// Runs a model built with `cnnc --emit=lib model.mlir -o libmodel.so` (or
// `--emit=obj`, or cnnc_add_model in CMake) on a synthetic input and prints
// the arg-max of each image's output. With a dynamic batch (-1 as dimension
// 0 of the shapes) it runs 2 images. It runs the model a second time with a
// workspace of its own (cnn_model_run_with_workspace) and checks that the
// result is the same. See README.md.
//
//===----------------------------------------------------------------------===//

#include "cnn_model.h" // Written by cnnc next to libmodel.so or model.o.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Images run when the model's batch is dynamic.
enum { DYNAMIC_BATCH_IMAGES = 2 };

// The element count of one image: the product of dimensions 1.. of a shape
// (dimension 0 is the batch).
static int64_t image_numel(int64_t rank, const int64_t *shape) {
  int64_t numel = 1;
  for (int64_t i = 1; i < rank; ++i)
    numel *= shape[i];
  return numel;
}

// 64-byte aligned buffer of `bytes` bytes; C11 aligned_alloc wants the size
// to be a multiple of the alignment.
static void *alloc_aligned(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  return aligned_alloc(64, rounded ? rounded : 64);
}

static void print_shape(const char *what, int64_t rank, const int64_t *shape) {
  printf("%s shape: (", what);
  for (int64_t i = 0; i < rank; ++i) {
    if (shape[i] < 0)
      printf(i ? ", ?" : "?");
    else
      printf(i ? ", %lld" : "%lld", (long long)shape[i]);
  }
  printf(")\n");
}

int main(void) {
  // A library compiled for features this CPU lacks says so here (the run
  // functions would return CNNRT_ERR_UNSUPPORTED_CPU with the same line).
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
  print_shape("input", input_rank, input_shape);
  print_shape("output", output_rank, output_shape);
  if (input_rank < 1 || output_rank < 1) {
    fprintf(stderr, "error: expected a batch dimension in both shapes\n");
    return 1;
  }

  // -1 as dimension 0: the model runs any batch count.
  int dynamic = input_shape[0] < 0;
  int64_t batch = dynamic ? DYNAMIC_BATCH_IMAGES : input_shape[0];
  if (dynamic)
    printf("dynamic batch (compiled in blocks of %lld): running %lld images\n",
           (long long)cnn_model_batch_block(), (long long)batch);
  int64_t input_numel = batch * image_numel(input_rank, input_shape);
  int64_t output_image = image_numel(output_rank, output_shape);
  int64_t output_numel = batch * output_image;
  size_t output_bytes = (size_t)output_numel * sizeof(float);

  // The caller owns every buffer: input, outputs and, for the second run,
  // the workspace of the model's intermediate activations.
  size_t workspace_bytes = cnn_model_workspace_size();
  float *input = alloc_aligned((size_t)input_numel * sizeof(float));
  float *output = alloc_aligned(output_bytes);
  float *output2 = alloc_aligned(output_bytes);
  void *workspace = alloc_aligned(workspace_bytes);
  int status = 1;
  if (!input || !output || !output2 || !workspace) {
    fprintf(stderr, "error: out of memory\n");
    goto done;
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

  // Every run function returns 0 or a cnnrt_status (cnnrt/cnnrt.h), with a
  // one-line message from cnn_model_error_message().
  int result = dynamic ? cnn_model_run_batch(batch, input, output)
                       : cnn_model_run(input, output);
  if (result != 0) {
    fprintf(stderr, "error: cnn_model_run: %s (status %d)\n",
            cnn_model_error_message(), result);
    goto done;
  }
  // The same images with our own workspace instead of the one the library
  // keeps per thread.
  result = cnn_model_run_with_workspace(batch, input, output2, workspace,
                                        workspace_bytes);
  if (result != 0) {
    fprintf(stderr, "error: cnn_model_run_with_workspace: %s (status %d)\n",
            cnn_model_error_message(), result);
    goto done;
  }
  printf("workspace: %zu bytes, same output: %s\n", workspace_bytes,
         memcmp(output, output2, output_bytes) == 0 ? "yes" : "no");

  // The arg-max of each image's output (its class, for a classifier).
  for (int64_t row = 0; row < batch && output_image > 0; ++row) {
    const float *scores = output + row * output_image;
    int64_t best = 0;
    for (int64_t c = 1; c < output_image; ++c)
      if (scores[c] > scores[best])
        best = c;
    printf("row %lld: argmax %lld (score %.4f)\n", (long long)row,
           (long long)best, scores[best]);
  }
  status = 0;

done:
  // Frees the workspace the library allocated for this thread's first run.
  cnn_model_release_workspace();
  free(input);
  free(output);
  free(output2);
  free(workspace);
  return status;
}
