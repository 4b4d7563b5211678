/*===- FuzzNpyRead.c - libFuzzer target: the runtime's .npy reader --------===//
 *
 * Any bytes as the .npy input of a compiled model: cnnrt_npy_read must
 * return a tensor or an error message, never crash or over-allocate.
 * The reader takes a path, so each input goes through one scratch file.
 *
 *===----------------------------------------------------------------------===*/

#include "cnnrt/cnnrt.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char scratch_path[64];

static void remove_scratch(void) { unlink(scratch_path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!scratch_path[0]) {
    snprintf(scratch_path, sizeof scratch_path, "/tmp/cnnc-fuzz-npy-%d.npy",
             (int)getpid());
    atexit(remove_scratch);
  }
  FILE *file = fopen(scratch_path, "wb");
  if (!file)
    abort();
  if (size && fwrite(data, 1, size, file) != size)
    abort();
  fclose(file);
  cnnrt_tensor tensor;
  char err[256];
  if (cnnrt_npy_read(scratch_path, &tensor, err, sizeof err) == 0)
    cnnrt_tensor_free(&tensor);
  return 0;
}
