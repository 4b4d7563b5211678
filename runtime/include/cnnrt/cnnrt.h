//===- cnnrt.h - cnnc minimal C runtime ---------------------------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// The small C runtime that cnnc links into every compiled model executable
// (through runtime/src/main.c) and that library users may call directly:
// float32 .npy reading/writing, owned tensors, monotonic timing and thread
// control.
//
// Error reporting: every fallible function returns an `int` status, 0
// (CNNRT_OK) on success and a nonzero `cnnrt_status` value on failure. It
// then writes a one-line, NUL-terminated message without trailing newline
// and without an "error: " prefix into the caller-provided buffer
// `err[errlen]` (truncated to fit; `err` may be NULL or `errlen` 0 to ignore
// the message). Messages about files start with the file path, e.g.
// "x.npy: truncated data: expected 12288 bytes, found 100".
// CNNRT_ERROR_MAX is a buffer size that is always large enough in practice.
//
// Memory ownership:
//   - A `cnnrt_tensor` owns its `data`. It is filled by cnnrt_tensor_alloc or
//     cnnrt_npy_read and must be released with cnnrt_tensor_free (not with
//     free() on the struct; the struct itself is caller storage, usually on
//     the stack). `data` is 64-byte aligned, never NULL after success (even
//     when numel is 0) and may be handed to cnn_model_run directly.
//   - On failure a function leaves the output tensor zeroed (data == NULL),
//     so calling cnnrt_tensor_free on it is always safe.
//   - Buffers passed in (`data` of cnnrt_npy_write, `err`, shapes) stay owned
//     by the caller; the runtime never keeps pointers to them.
//   - The runtime's global state: the thread count, the thread pool and the
//     per-layer profile.
//
//===----------------------------------------------------------------------===//

#ifndef CNNRT_CNNRT_H
#define CNNRT_CNNRT_H

#include "cnnrt/cnn_model_abi.h" // cnn_layer_info

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

//===----------------------------------------------------------------------===//
// Status codes
//===----------------------------------------------------------------------===//

typedef enum cnnrt_status {
  CNNRT_OK = 0,
  // A caller bug: NULL pointer, negative dimension, rank > CNNRT_MAX_RANK...
  CNNRT_ERR_INVALID_ARGUMENT = 1,
  // The operating system refused: cannot open, read, write or rename a file.
  CNNRT_ERR_IO = 2,
  // The file is not a well-formed .npy file (bad magic, truncated, ...).
  CNNRT_ERR_FORMAT = 3,
  // A well-formed .npy file this runtime does not handle (dtype, order, ...).
  CNNRT_ERR_UNSUPPORTED = 4,
  // The shape is too large (element count overflow or over the size limit).
  CNNRT_ERR_TOO_LARGE = 5,
  CNNRT_ERR_OUT_OF_MEMORY = 6,
  // The CPU lacks features that every code variant of a model uses.
  CNNRT_ERR_UNSUPPORTED_CPU = 7,
} cnnrt_status;

// Suggested size of the `err` buffers.
#define CNNRT_ERROR_MAX 512

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

#define CNNRT_MAX_RANK 8
// Alignment of every buffer the runtime allocates (one cache line, enough
// for any vector load the compiler emits).
#define CNNRT_ALIGNMENT 64

// An owned, contiguous, C-order float32 tensor. shape[rank..7] are 0.
typedef struct cnnrt_tensor {
  float *data;
  int64_t rank;
  int64_t shape[CNNRT_MAX_RANK];
  int64_t numel;
} cnnrt_tensor;

// Allocates a zero-filled tensor of the given shape (rank 0..8, dims >= 0; a
// 0-size dim is allowed and gives numel 0). `shape` may be NULL when rank is
// 0.
int cnnrt_tensor_alloc(cnnrt_tensor *tensor, int64_t rank, const int64_t *shape,
                       char *err, size_t errlen);

// Frees tensor->data and zeroes the struct. Accepts NULL and zeroed tensors.
void cnnrt_tensor_free(cnnrt_tensor *tensor);

// Returns 1 if both shapes have the same rank and dimensions, else 0.
int cnnrt_shape_equal(int64_t rank_a, const int64_t *shape_a, int64_t rank_b,
                      const int64_t *shape_b);

// Big enough for any shape of rank <= CNNRT_MAX_RANK.
#define CNNRT_SHAPE_STR_MAX 256

// Formats a shape as a Python tuple, "(1, 3, 32, 32)", "(3,)" or "()", into
// buf (truncated to fit) and returns buf, so it can be used in printf calls.
char *cnnrt_format_shape(int64_t rank, const int64_t *shape, char *buf,
                         size_t buflen);

//===----------------------------------------------------------------------===//
// .npy files
//===----------------------------------------------------------------------===//

// cnnrt_npy_read refuses files whose data is larger than this (4 GiB), before
// allocating anything.
#define CNNRT_NPY_MAX_DATA_BYTES ((int64_t)4 << 30)

// Reads a little-endian float32 ('<f4'), C-order .npy file (format version
// 1.0, 2.0 or 3.0; rank 0..8) into a newly allocated tensor. The file must
// hold exactly the data its shape needs: missing or extra bytes are errors.
int cnnrt_npy_read(const char *path, cnnrt_tensor *out, char *err,
                   size_t errlen);

// Writes `data` (numel(shape) floats, C order) as a '<f4' .npy file (format
// 1.0, header padded so the data starts at a multiple of 64 bytes).
// The write is atomic: the bytes go to "<path>.tmp.<pid>" in the same
// directory, which is then renamed over `path`; on failure the temporary file
// is removed and `path` is left untouched.
int cnnrt_npy_write(const char *path, const float *data, int64_t rank,
                    const int64_t *shape, char *err, size_t errlen);

// Same as cnnrt_npy_write for a tensor.
int cnnrt_npy_write_tensor(const char *path, const cnnrt_tensor *tensor,
                           char *err, size_t errlen);

//===----------------------------------------------------------------------===//
// Timing and threads
//===----------------------------------------------------------------------===//

// Milliseconds from an arbitrary fixed point (CLOCK_MONOTONIC); only
// differences are meaningful.
double cnnrt_now_ms(void);

// Compiled models run their parallel loops on the runtime's own thread pool
// (runtime/src/threads.c), which implements the part of the LLVM OpenMP
// runtime ABI (__kmpc_*) that cnnc's code calls, so a model needs no libomp
// (and omp_set_num_threads has no effect on it: use cnnrt_set_num_threads).
// Workers start with the first parallel region and sleep between regions
// after a short spin (CNNRT_SPIN_US microseconds, default 200, at most
// 1000; waits inside a region spin up to 20 ms, as libomp's do); the
// calling thread works as one of the threads. One model call at a time uses
// the pool: if several threads call a model at once, a call that finds the
// pool busy runs its parallel loops on its own thread alone (same results,
// just slower). A model's results do not depend on the thread count: cnnc
// keeps every reduction inside one parallel iteration.

// Sets the number of threads (the calling one included) of the next
// parallel regions, for all threads of the program; n < 1 is ignored, n
// above 1024 is taken as 1024. Without a call: OMP_NUM_THREADS if it is set
// to a valid count, else cnnrt_default_num_threads().
void cnnrt_set_num_threads(int n);

// The number of threads the next parallel region will use.
int cnnrt_get_num_threads(void);

// Returns 1: cnnrt_set_num_threads always has an effect (kept from when the
// runtime depended on a separately linked OpenMP runtime).
int cnnrt_openmp_available(void);

// Number of CPUs this process may run on (its affinity mask, else the online
// CPUs), at least 1. Does not look at OMP_NUM_THREADS.
int cnnrt_default_num_threads(void);

// Makes the C library keep freed memory for reuse instead of returning it
// to the system, so buffers a program allocates per run (inputs, outputs,
// caller workspaces) do not cost a page fault per 4 KiB touched on every
// run. Model executables call it once; a program embedding a model library
// may too. A no-op where the C library has no such setting.
void cnnrt_keep_freed_memory(void);

// Moves the whole huge pages inside [begin, end), read-only data of this
// process, onto transparent huge pages: copies them into anonymous memory
// advised with MADV_HUGEPAGE, makes that read-only and moves it over the
// same addresses. Returns the bytes moved: 0 where the kernel gives no
// huge pages, the range holds no whole one, a step fails (the data stays
// where it was) or the environment sets CNNRT_HUGE_PAGES=0. Nothing may
// read the range while it runs. A model calls it for its weights before
// its first run (cnnrt_model.constants_begin).
int64_t cnnrt_map_constants(const void *begin, const void *end);

// The bytes cnnrt_map_constants has moved onto huge pages in this process.
int64_t cnnrt_huge_page_bytes(void);

//===----------------------------------------------------------------------===//
// Per-layer profiling
//===----------------------------------------------------------------------===//

// Called by a compiled model before each of its layers (0, 1, ...) and with
// -1 before it returns. While profiling is on, the time between two calls
// is added to the earlier call's layer; otherwise it returns at once.
void cnnrt_layer_begin(int32_t layer);

// Starts profiling a model of `layers` layers with every layer's time at
// zero. Returns CNNRT_OK, or CNNRT_ERR_OUT_OF_MEMORY /
// CNNRT_ERR_INVALID_ARGUMENT.
int cnnrt_profile_start(int32_t layers);

// Stops profiling; the accumulated times stay readable until the next start.
void cnnrt_profile_stop(void);

// Milliseconds accumulated by `layer` since cnnrt_profile_start (0 for a
// layer out of range).
double cnnrt_profile_layer_ms(int32_t layer);

// The single-core FMA peak of this CPU in GFLOP/s for `vector_bits`-wide
// FMAs (512: AVX-512, 256: AVX2+FMA; the width a model's code uses, see
// cnn_model_vector_bits), measured in about 0.1 s with enough independent
// chains to fill the FMA pipes without spilling; 0 if the CPU lacks them.
double cnnrt_measure_fma_peak_gflops(int vector_bits);

//===----------------------------------------------------------------------===//
// CPU features and code variants
//===----------------------------------------------------------------------===//

// 1 if this CPU has `feature` (a name of cnnrt/cpu_features.def, e.g.
// "avx512f"), 0 if it lacks it, -1 for a name not in that list.
int cnnrt_cpu_supports(const char *feature);

// One variant of a compiled model's code: cnnc emits a constant table of
// them, best first, one per target of --target-cpu, in the model object.
// Each runs a block of the model's batch-block images with a workspace of
// `workspace_bytes`; with a dynamic batch, `run_single` runs one image (NULL
// when the block is one image). Their arguments are arrays of the model's
// input and output buffers, in the order of cnnrt_model's tensors.
typedef void (*cnnrt_run_fn)(const float *const *inputs, float *const *outputs,
                             void *workspace);
typedef struct cnnrt_variant {
  const char *target;   // the --target-cpu it was compiled for
  const char *features; // comma-separated cpu_features.def names it uses
  int64_t vector_bits;  // width of its vector kernels: 256 or 512
  cnnrt_run_fn run;
  cnnrt_run_fn run_single;
  // The variant's layers: the table and, in *count, their number; NULL if
  // the model has none.
  const cnn_layer_info *(*layer_table)(int64_t *count);
  int64_t workspace_bytes; // what `run` and `run_single` need, the larger
} cnnrt_variant;

// The index of the first of `count` variants whose features this CPU has,
// cached in `*selected` (initially -1; may be NULL); -1 with a one-line
// message in `err` naming the missing features and the --target-cpu to
// recompile with, if none.
int32_t cnnrt_variant_select(const cnnrt_variant *variants, int32_t count,
                             int32_t *selected, char *err, size_t errlen);

//===----------------------------------------------------------------------===//
// Compiled models
//===----------------------------------------------------------------------===//

// Most inputs or outputs a model may have.
#define CNNRT_MAX_TENSORS 16

// One input or output of a model: a float32 C-order tensor.
typedef struct cnnrt_tensor_info {
  const char *name; // the ONNX graph's name, or input/output[N]
  int64_t rank;
  const int64_t *shape; // rank entries; -1 in dimension 0: a dynamic batch
  int64_t image_floats; // floats of one image (the product of dims 1..)
} cnnrt_tensor_info;

// What cnnc emits for a model (a constant in the model object, next to its
// variant table); the model's exported functions (cnn_model_abi.h) call the
// cnnrt_model_* functions below with it, which implement that ABI.
typedef struct cnnrt_model {
  const char *name; // the --name of the model's C symbols
  const cnnrt_variant *variants;
  int32_t count;
  int32_t *selected;     // the chosen variant, -1 until chosen
  int64_t batch_block;   // images per call of a variant's `run`
  int64_t dynamic_batch; // nonzero: runs any batch count
  int64_t num_inputs;    // 1 to CNNRT_MAX_TENSORS
  const cnnrt_tensor_info *inputs;
  int64_t num_outputs; // 1 to CNNRT_MAX_TENSORS
  const cnnrt_tensor_info *outputs;
  // The model's weights (the linker's bounds of its section
  // NAME_constants; both NULL if it has none) and the bytes of them the
  // first run moved onto huge pages (-1 until then).
  const char *constants_begin;
  const char *constants_end;
  int64_t *constants_mapped;
} cnnrt_model;

// cnn_model_run_io: runs `n` images of every input into every output, with
// `workspace` (or, if NULL, the calling thread's cached one). Returns a
// cnnrt_status; on failure cnnrt_last_error() says why.
int cnnrt_model_run_io(const cnnrt_model *model, int64_t n,
                       const float *const *inputs, float *const *outputs,
                       void *workspace, size_t workspace_bytes);
// The same for a model with one input and one output (else an error).
int cnnrt_model_run(const cnnrt_model *model, int64_t n, const float *input,
                    float *output, void *workspace, size_t workspace_bytes);
// cnn_model_workspace_size: 0 if no variant runs on this CPU.
size_t cnnrt_model_workspace_size(const cnnrt_model *model);
// cnn_model_check_cpu, cnn_model_target, cnn_model_vector_bits,
// cnn_model_num_layers and cnn_model_layer: of the variant that runs on
// this CPU.
int cnnrt_model_check_cpu(const cnnrt_model *model, char *err, size_t errlen);
const char *cnnrt_model_target(const cnnrt_model *model);
int64_t cnnrt_model_vector_bits(const cnnrt_model *model);
int64_t cnnrt_model_num_layers(const cnnrt_model *model);
const cnn_layer_info *cnnrt_model_layer(const cnnrt_model *model,
                                        int64_t index);
// Input (`output` 0) or output (`output` 1) `index` of the model; NULL if
// there is none.
const cnnrt_tensor_info *cnnrt_model_tensor(const cnnrt_model *model,
                                            int64_t output, int64_t index);
// Its name, rank and shape (NULL, 0 and NULL if there is none).
const char *cnnrt_model_tensor_name(const cnnrt_model *model, int64_t output,
                                    int64_t index);
int64_t cnnrt_model_tensor_rank(const cnnrt_model *model, int64_t output,
                                int64_t index);
const int64_t *cnnrt_model_tensor_shape(const cnnrt_model *model,
                                        int64_t output, int64_t index);
// Frees the workspace cached for the calling thread (shared by the models
// linked with this copy of the runtime); the next run allocates again.
void cnnrt_release_workspace(void);
// The calling thread's last error message of a cnnrt_model_* call, "" if
// its last call succeeded.
const char *cnnrt_last_error(void);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // CNNRT_CNNRT_H
