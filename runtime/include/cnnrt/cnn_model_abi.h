//===- cnn_model_abi.h - Entry points of a cnnc-compiled model ----*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// The functions cnnc defines in every model object file. The runtime's
// main() calls them; `cnnc --emit=lib` writes this header, with a comment
// giving the model's shapes, as cnn_model.h for library users: it is the
// one declaration of the ABI.
//
// Buffers are contiguous C-order float32 arrays owned by the caller: `input`
// holds numel(input shape) floats and `output` numel(output shape) floats.
// 64-byte alignment is recommended. The shape arrays returned are static
// storage of the model; do not free or modify them.
//
//===----------------------------------------------------------------------===//

#ifndef CNNRT_CNN_MODEL_ABI_H
#define CNNRT_CNN_MODEL_ABI_H

#include <stddef.h>
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

// 0 if this CPU can run the model: one of the model's code variants (one
// per target of `cnnc --target-cpu=a,b,...`) uses only features it has.
// Otherwise nonzero, with one line in `err` (if not NULL) naming the missing
// features and the --target-cpu to recompile with. cnn_model_run on such a
// CPU prints that line on stderr and exits the process with status 1: call
// this first to handle it yourself.
extern int cnn_model_check_cpu(char *err, size_t errlen);

// The --target-cpu of the variant that runs on this CPU (NULL if none).
extern const char *cnn_model_target(void);

// Width in bits of that variant's vector kernels (256: AVX2, 512: AVX-512;
// 0 if none runs).
extern int64_t cnn_model_vector_bits(void);

// One line per layer, in execution order, fields separated by tabs: name,
// op, output shape, FLOPs, algorithm (the variant's that runs here).
extern const char *cnn_model_layer_table(void);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // CNNRT_CNN_MODEL_ABI_H
