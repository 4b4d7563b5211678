//===- api_errors.c - The error statuses of a model library -------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// Linked with a model built by `cnnc --emit=lib` (runtime.standalone_binary
// and lit's cpu-check.test build and run it):
//
//   api_errors fixed        a model compiled for a fixed batch
//   api_errors dynamic      a model compiled with --batch=dynamic (block > 1)
//   api_errors unsupported  a model compiled for features this CPU lacks
//
// Checks that every misuse returns its status with a one-line message, that
// the caller's workspace gives the library's results, that batches of any
// size give each image the result it gets alone, and that a workspace the
// system cannot provide (the address space limited below it) is
// CNNRT_ERR_OUT_OF_MEMORY, not a crash. Prints "api_errors: ok".
//
//===----------------------------------------------------------------------===//

#define _POSIX_C_SOURCE 200809L

#include "cnnrt/cnn_model_abi.h"
#include "cnnrt/cnnrt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int failures = 0;

#define EXPECT(cond, ...)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "api_errors: line %d: ", __LINE__);                      \
      fprintf(stderr, __VA_ARGS__);                                            \
      fprintf(stderr, " (message: '%s')\n", cnn_model_error_message());        \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/// `status` is `expected` and the message contains `needle`.
#define EXPECT_ERROR(status, expected, needle)                                 \
  do {                                                                         \
    int got_ = (status);                                                       \
    EXPECT(got_ == (expected), "status %d, expected %d", got_, (expected));    \
    EXPECT(strstr(cnn_model_error_message(), (needle)) != NULL,                \
           "the message lacks '%s'", (needle));                                \
    EXPECT(strchr(cnn_model_error_message(), '\n') == NULL,                    \
           "the message is not one line");                                     \
  } while (0)

static int64_t image_floats(int64_t rank, const int64_t *shape) {
  int64_t count = 1;
  for (int64_t i = 1; i < rank; ++i)
    count *= shape[i];
  return count;
}

static float *alloc_floats(int64_t count) {
  void *data = NULL;
  size_t bytes = ((size_t)count * sizeof(float) + 63) / 64 * 64;
  return posix_memalign(&data, 64, bytes ? bytes : 64) == 0 ? (float *)data
                                                            : NULL;
}

static void fill(float *data, int64_t count) {
  uint32_t x = 12345u;
  for (int64_t i = 0; i < count; ++i) {
    x = x * 1664525u + 1013904223u;
    data[i] = (float)(x >> 8) / 8388608.0f - 1.0f;
  }
}

/// The address space this process uses now, in bytes.
static size_t address_space(void) {
  FILE *file = fopen("/proc/self/statm", "r");
  unsigned long pages = 0;
  if (file) {
    if (fscanf(file, "%lu", &pages) != 1)
      pages = 0;
    fclose(file);
  }
  return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv) {
  const char *mode = argc == 2 ? argv[1] : "";
  if (strcmp(mode, "unsupported") == 0) {
    float in[1], out[1];
    EXPECT_ERROR(cnn_model_run(in, out), CNNRT_ERR_UNSUPPORTED_CPU,
                 "this CPU cannot run the model");
    EXPECT(cnn_model_workspace_size() == 0, "a workspace size without a "
                                            "variant");
    EXPECT(cnn_model_check_cpu(NULL, 0) != 0, "check_cpu passes");
    goto done;
  }
  int dynamic = strcmp(mode, "dynamic") == 0;
  if (!dynamic && strcmp(mode, "fixed") != 0) {
    fprintf(stderr, "usage: %s fixed|dynamic|unsupported\n", argv[0]);
    return 2;
  }
  cnnrt_set_num_threads(1);
  const int64_t *input_shape = cnn_model_input_shape();
  const int64_t *output_shape = cnn_model_output_shape();
  EXPECT((input_shape[0] < 0) == dynamic, "input dimension 0 is %lld",
         (long long)input_shape[0]);
  EXPECT((output_shape[0] < 0) == dynamic, "output dimension 0 is %lld",
         (long long)output_shape[0]);
  int64_t in_image = image_floats(cnn_model_input_rank(), input_shape);
  int64_t out_image = image_floats(cnn_model_output_rank(), output_shape);
  int64_t block = cnn_model_batch_block();
  // A fixed model runs its batch; a dynamic one two blocks and a remainder.
  int64_t batch = dynamic ? 2 * block + 1 : block;
  float *input = alloc_floats(batch * in_image);
  float *output = alloc_floats(batch * out_image);
  float *again = alloc_floats(batch * out_image);
  float *one = alloc_floats(out_image);
  size_t workspace_bytes = cnn_model_workspace_size();
  void *workspace = NULL;
  if (!input || !output || !again || !one ||
      posix_memalign(&workspace, 64, workspace_bytes + 64) != 0) {
    fprintf(stderr, "api_errors: out of memory\n");
    return 1;
  }
  fill(input, batch * in_image);
  EXPECT(workspace_bytes > 0, "no workspace");

  // Success clears the message.
  EXPECT(cnn_model_run_batch(batch, input, output) == CNNRT_OK, "run_batch");
  EXPECT(cnn_model_error_message()[0] == '\0', "a message after success");

  // Misuse.
  if (!dynamic)
    EXPECT_ERROR(cnn_model_run_batch(batch + 1, input, output),
                 CNNRT_ERR_INVALID_ARGUMENT, "compiled for batch");
  EXPECT_ERROR(cnn_model_run_batch(-1, input, output),
               CNNRT_ERR_INVALID_ARGUMENT,
               dynamic ? "invalid batch count" : "compiled for batch");
  EXPECT_ERROR(cnn_model_run_batch(batch, NULL, output),
               CNNRT_ERR_INVALID_ARGUMENT, "the input 'input' is NULL");
  EXPECT_ERROR(cnn_model_run_batch(batch, input, NULL),
               CNNRT_ERR_INVALID_ARGUMENT, "the output 'output' is NULL");
  EXPECT_ERROR(cnn_model_run_with_workspace(batch, input, again, workspace,
                                            workspace_bytes - 1),
               CNNRT_ERR_INVALID_ARGUMENT, "the workspace has");
  EXPECT_ERROR(cnn_model_run_with_workspace(
                   batch, input, again, (char *)workspace + 4, workspace_bytes),
               CNNRT_ERR_INVALID_ARGUMENT, "aligned");

  // The caller's workspace gives the same results.
  memset(again, 0xff, (size_t)(batch * out_image) * sizeof(float));
  EXPECT(cnn_model_run_with_workspace(batch, input, again, workspace,
                                      workspace_bytes) == CNNRT_OK,
         "run_with_workspace");
  EXPECT(memcmp(output, again, (size_t)(batch * out_image) * sizeof(float)) ==
             0,
         "the caller's workspace changes the output");

  // Each image of a dynamic batch gets what it gets alone (blocks and the
  // remainder run different code: equal within rounding).
  if (dynamic) {
    EXPECT(cnn_model_run_batch(0, NULL, NULL) == CNNRT_OK, "an empty batch");
    for (int64_t image = 0; image < batch; ++image) {
      EXPECT(cnn_model_run(input + image * in_image, one) == CNNRT_OK,
             "run image %lld", (long long)image);
      float worst = 0.0f, largest = 0.0f;
      for (int64_t i = 0; i < out_image; ++i) {
        float ref = one[i], got = output[image * out_image + i];
        float diff = ref > got ? ref - got : got - ref;
        float size = ref < 0 ? -ref : ref;
        worst = diff > worst ? diff : worst;
        largest = size > largest ? size : largest;
      }
      EXPECT(worst <= 1e-4f * (largest > 1.0f ? largest : 1.0f),
             "image %lld of the batch differs from its run alone by %g",
             (long long)image, (double)worst);
    }
  }

  // A workspace the system cannot provide: an error status, not a crash.
  // (Large allocations are mappings: limit the address space to half the
  // workspace above what the process uses now.)
  cnn_model_release_workspace();
  if (workspace_bytes >= (1u << 20)) {
    struct rlimit old, limit;
    if (getrlimit(RLIMIT_AS, &old) == 0) {
      limit = old;
      limit.rlim_cur = address_space() + workspace_bytes / 2;
      if (setrlimit(RLIMIT_AS, &limit) == 0) {
        int status = cnn_model_run_batch(batch, input, output);
        setrlimit(RLIMIT_AS, &old);
        EXPECT_ERROR(status, CNNRT_ERR_OUT_OF_MEMORY, "out of memory");
        EXPECT(cnn_model_run_batch(batch, input, output) == CNNRT_OK,
               "a run after the limit is lifted");
      }
    }
  } else {
    printf("api_errors: workspace of %zu bytes too small to test running "
           "out of memory\n",
           workspace_bytes);
  }
  free(input);
  free(output);
  free(again);
  free(one);
  free(workspace);

done:
  if (failures) {
    fprintf(stderr, "api_errors: %d failures (%s)\n", failures, mode);
    return 1;
  }
  printf("api_errors: ok (%s)\n", mode);
  return 0;
}
