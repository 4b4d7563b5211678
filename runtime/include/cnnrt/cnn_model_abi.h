//===- cnn_model_abi.h - Entry points of a cnnc-compiled model ----*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// The functions cnnc defines in every model object file. The runtime's
// main() calls them; `cnnc --emit=lib` and `--emit=obj` write this header,
// with a comment giving the model's shapes, as cnn_model.h (NAME.h with
// --name NAME, every `cnn_model_` below becoming `NAME_`): it is the one
// declaration of the ABI.
//
// Buffers are contiguous C-order float32 arrays owned by the caller: `input`
// holds numel(input shape) floats and `output` numel(output shape) floats,
// with the batch dimension set to the batch count `n` of the call. 64-byte
// alignment is recommended. The shape arrays returned are static storage of
// the model; do not free or modify them.
//
// Batch. A model compiled for a fixed batch (the default for MLIR models
// and ONNX models with a fixed batch) runs exactly that batch. A model
// compiled with `--batch=dynamic` (the default for an ONNX model whose
// batch dimension is symbolic) reports -1 as dimension 0 of both shapes and
// runs any batch count n >= 0: blocks of cnn_model_batch_block() images
// through code compiled for that block, the remainder image by image.
//
// Errors. Every run function returns 0 (CNNRT_OK) or a nonzero cnnrt_status
// (cnnrt/cnnrt.h: CNNRT_ERR_INVALID_ARGUMENT for a NULL buffer or a bad
// batch count, CNNRT_ERR_OUT_OF_MEMORY when the workspace cannot be
// allocated, CNNRT_ERR_UNSUPPORTED_CPU when this CPU lacks the features
// every code variant uses); cnn_model_error_message() then gives one line
// saying what went wrong. No run function exits the process or prints.
//
// Memory. A run needs a workspace of cnn_model_workspace_size() bytes for
// its intermediate activations. cnn_model_run and cnn_model_run_batch use
// one that the library allocates on a thread's first call and keeps for
// that thread's later calls (freed when the thread exits, or by
// cnn_model_release_workspace()); cnn_model_run_with_workspace uses the
// caller's, so that an embedding program controls every allocation.
// On Linux the first run of the model also moves its weights (the whole
// 2 MiB pages of its section cnn_model_constants) onto transparent huge
// pages, a copy in anonymous memory at the same addresses; environment
// CNNRT_HUGE_PAGES=0 turns that off (cnnrt_map_constants in cnnrt/cnnrt.h).
//
// Threads. Any number of program threads may call the run functions at
// once, on different buffers (or workspaces). One call at a time runs its
// layers on the runtime's thread pool (cnnrt_set_num_threads, or
// OMP_NUM_THREADS); calls that find the pool busy run on their own thread.
//
//===----------------------------------------------------------------------===//

#ifndef CNNRT_CNN_MODEL_ABI_H
#define CNNRT_CNN_MODEL_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// One layer of a compiled model (shared by every model's header).
#ifndef CNN_LAYER_INFO_DEFINED
#define CNN_LAYER_INFO_DEFINED
typedef struct cnn_layer_info {
  const char *name; // the ONNX node's name, or the op's and its index
  const char *op;   // the op and its fused epilogue: "conv2d 3x3+bias+relu"
  const char
      *algorithm;       // its kernel: "direct", "winograd F4", ...; "-" if none
  int64_t rank;         // of its output
  const int64_t *shape; // the output's, for one batch block (rank entries)
  int64_t flops;        // floating-point operations per batch block (0: none
                        // counted: pooling, layout changes, ...)
} cnn_layer_info;
#endif

// Runs the model on `input`, writing every element of `output`: the batch
// the input shape gives, or one image if the batch is dynamic. Returns 0 or
// an error status.
extern int cnn_model_run(const float *input, float *output);

// Runs `n` images. With a fixed batch, n must equal it.
extern int cnn_model_run_batch(int64_t n, const float *input, float *output);

// Bytes of workspace any run needs (the same for every batch count); 0 if
// no code variant runs on this CPU.
extern size_t cnn_model_workspace_size(void);

// As cnn_model_run_batch, with the caller's workspace: `workspace` holds
// `workspace_bytes` >= cnn_model_workspace_size() bytes, 64-byte aligned.
// A workspace serves one call at a time.
extern int cnn_model_run_with_workspace(int64_t n, const float *input,
                                        float *output, void *workspace,
                                        size_t workspace_bytes);

// Several inputs or outputs: `inputs` holds cnn_model_num_inputs() buffers
// and `outputs` cnn_model_num_outputs(), in the order of the queries below
// (each with its own shape, batch `n`); `workspace` may be NULL for the
// library's. (cnn_model_run, _run_batch and _run_with_workspace are for
// models with one input and one output.)
extern int cnn_model_run_io(int64_t n, const float *const *inputs,
                            float *const *outputs, void *workspace,
                            size_t workspace_bytes);

// Frees the workspace the library keeps for the calling thread, if any.
extern void cnn_model_release_workspace(void);

// The message of the calling thread's last failed call ("" if none): one
// line, valid until that thread's next call.
extern const char *cnn_model_error_message(void);

// The first input's rank and shape; -1 marks a dynamic batch dimension.
extern int64_t cnn_model_input_rank(void);
extern const int64_t *cnn_model_input_shape(void);
// The first output's.
extern int64_t cnn_model_output_rank(void);
extern const int64_t *cnn_model_output_shape(void);

// Every input and output: how many, and each one's name (the ONNX graph's,
// or "input", "input1", ..., "output", ...), rank and shape; NULL or 0 for
// an index out of range.
extern int64_t cnn_model_num_inputs(void);
extern const char *cnn_model_input_name(int64_t index);
extern int64_t cnn_model_input_rank_at(int64_t index);
extern const int64_t *cnn_model_input_shape_at(int64_t index);
extern int64_t cnn_model_num_outputs(void);
extern const char *cnn_model_output_name(int64_t index);
extern int64_t cnn_model_output_rank_at(int64_t index);
extern const int64_t *cnn_model_output_shape_at(int64_t index);

// Images per block of compiled code: the fixed batch, or with a dynamic
// batch the block size (`cnnc --batch-block`).
extern int64_t cnn_model_batch_block(void);

// 0 if this CPU can run the model: one of the model's code variants (one
// per target of `cnnc --target-cpu=a,b,...`) uses only features it has.
// Otherwise nonzero, with one line in `err` (if not NULL) naming the missing
// features and the --target-cpu to recompile with. The run functions return
// CNNRT_ERR_UNSUPPORTED_CPU with the same line on such a CPU.
extern int cnn_model_check_cpu(char *err, size_t errlen);

// The --target-cpu of the variant that runs on this CPU (NULL if none).
extern const char *cnn_model_target(void);

// Width in bits of that variant's vector kernels (256: AVX2, 512: AVX-512;
// 0 if none runs).
extern int64_t cnn_model_vector_bits(void);

// The model's layers (its ops after fusion, in execution order), as the
// variant that runs on this CPU computes them: 0 layers and NULL if none
// runs there, and NULL for an index out of range. The records are static
// storage of the model.
extern int64_t cnn_model_num_layers(void);
extern const cnn_layer_info *cnn_model_layer(int64_t index);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // CNNRT_CNN_MODEL_ABI_H
