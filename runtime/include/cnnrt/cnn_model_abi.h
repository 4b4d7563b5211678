//===- cnn_model_abi.h - Entry points of a cnnc-compiled model ----*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// The functions cnnc defines in every model object file. The runtime's
// main() calls them; `cnnc --emit=lib` writes a per-model header with the
// same declarations for library users.
//
// Buffers are contiguous C-order float32 arrays owned by the caller: `input`
// holds numel(input shape) floats and `output` numel(output shape) floats.
// 64-byte alignment is recommended. The shape arrays returned are static
// storage of the model; do not free or modify them.
//
//===----------------------------------------------------------------------===//

#ifndef CNNRT_CNN_MODEL_ABI_H
#define CNNRT_CNN_MODEL_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Runs the model once on `input`, writing every element of `output`.
extern void cnn_model_run(const float *input, float *output);

extern int64_t cnn_model_input_rank(void);
// cnn_model_input_rank() entries.
extern const int64_t *cnn_model_input_shape(void);

extern int64_t cnn_model_output_rank(void);
// cnn_model_output_rank() entries.
extern const int64_t *cnn_model_output_shape(void);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // CNNRT_CNN_MODEL_ABI_H
