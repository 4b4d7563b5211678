//===- main.c - main() of compiled model executables --------------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// Linked with the model object file, which defines the functions of
// cnnrt/cnn_model_abi.h. Reads an input (or synthesizes one), runs the model,
// optionally writes the output and benchmarks; see print_usage.
//
// Exit status: 0 success, 1 runtime error (files, shapes, memory), 2 usage
// error. Every error is a single "error: ..." line on stderr.
//
//===----------------------------------------------------------------------===//

#define _POSIX_C_SOURCE 200809L // getpid, strdup

#include "cnnrt/cnn_model_abi.h"
#include "cnnrt/cnnrt.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { exit_runtime_error = 1, exit_usage_error = 2 };
enum {
  max_bench_runs = 1000000,
  max_threads = 65536,
  max_top_classes = 5,
  max_batch = 1 << 20
};
// xorshift32 state must be nonzero; this is the seed --help documents.
#define SYNTHETIC_SEED 0x9E3779B9u

typedef struct options {
  const char *input_paths[CNNRT_MAX_TENSORS]; // in the model's input order
  int num_inputs;
  const char *output_paths[CNNRT_MAX_TENSORS];
  int num_outputs;
  int threads;              // 0: not given.
  int bench_runs;           // 0: no benchmark.
  int profile_runs;         // 0: no profile.
  const char *profile_path; // CSV, or JSON if it ends in ".json".
  int batch;                // synthetic input's batch; 0: not given.
  int quiet;                // no printed result.
  int help;
} options;

static void print_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void print_error(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  fputs("error: ", stderr);
  vfprintf(stderr, fmt, args);
  fputc('\n', stderr);
  va_end(args);
}

// The batch dimension of a model compiled with --batch=dynamic is -1.
static int model_has_dynamic_batch(void) {
  return cnn_model_input_rank() > 0 && cnn_model_input_shape()[0] < 0;
}

// The buffers of one run: every input and output, `batch` images each.
typedef struct model_io {
  int64_t batch;
  cnnrt_tensor inputs[CNNRT_MAX_TENSORS];
  cnnrt_tensor outputs[CNNRT_MAX_TENSORS];
} model_io;

// Runs the model; prints the model's message on failure.
static int run_model(const model_io *io) {
  const float *inputs[CNNRT_MAX_TENSORS];
  float *outputs[CNNRT_MAX_TENSORS];
  for (int64_t i = 0; i < cnn_model_num_inputs(); ++i)
    inputs[i] = io->inputs[i].data;
  for (int64_t i = 0; i < cnn_model_num_outputs(); ++i)
    outputs[i] = io->outputs[i].data;
  if (cnn_model_run_io(io->batch, inputs, outputs, NULL, 0) != 0) {
    print_error("%s", cnn_model_error_message());
    return exit_runtime_error;
  }
  return 0;
}

static void print_usage(const char *program) {
  char input_shape[CNNRT_SHAPE_STR_MAX], output_shape[CNNRT_SHAPE_STR_MAX];
  cnnrt_format_shape(cnn_model_input_rank(), cnn_model_input_shape(),
                     input_shape, sizeof(input_shape));
  cnnrt_format_shape(cnn_model_output_rank(), cnn_model_output_shape(),
                     output_shape, sizeof(output_shape));
  if (cnn_model_num_inputs() > 1 || cnn_model_num_outputs() > 1) {
    printf("model tensors (one --input per input, one --output per output, "
           "in this order; -1: any batch):\n");
    for (int output = 0; output < 2; ++output) {
      int64_t count = output ? cnn_model_num_outputs() : cnn_model_num_inputs();
      for (int64_t i = 0; i < count; ++i) {
        char shape[CNNRT_SHAPE_STR_MAX];
        cnnrt_format_shape(
            output ? cnn_model_output_rank_at(i) : cnn_model_input_rank_at(i),
            output ? cnn_model_output_shape_at(i) : cnn_model_input_shape_at(i),
            shape, sizeof(shape));
        printf("  %s %lld '%s': float32 %s\n", output ? "output" : "input",
               (long long)i,
               output ? cnn_model_output_name(i) : cnn_model_input_name(i),
               shape);
      }
    }
    printf("\n");
  }
  printf(
      "usage: %s [--input X.npy | --batch N] [--output Y.npy] [--threads N] "
      "[--bench N] [--profile N [--profile-out FILE]] [--quiet] [--help]\n"
      "\n"
      "Runs the network compiled into this executable by cnnc.\n"
      "\n"
      "  model input:  float32 %s\n"
      "  model output: float32 %s\n"
      "\n"
      "options (also accepted as --option=value):\n"
      "  --input X.npy   read the input from a float32 ('<f4') C-order .npy "
      "file;\n"
      "                  its shape must equal the model input shape (any "
      "batch N\n"
      "                  if the batch is dynamic). Without it a "
      "deterministic\n"
      "                  synthetic input is used (see below).\n"
      "  --batch N       the synthetic input's batch, for a model compiled "
      "with\n"
      "                  --batch=dynamic (default 1).\n"
      "  --output Y.npy  write the output as a float32 .npy file (written to "
      "a\n"
      "                  temporary file, then renamed over Y.npy).\n"
      "                  A model with several inputs or outputs takes one "
      "--input\n"
      "                  per input and one --output per output, in the "
      "order\n"
      "                  listed above.\n"
      "  --threads N     number of threads, N >= 1 (default: OMP_NUM_THREADS "
      "if set,\n"
      "                  else the %d CPUs this process may use).\n"
      "  --bench N       after the first (warm-up) run, time N more runs "
      "(N from 1\n"
      "                  to %d) and print one line\n"
      "                  'bench: runs=N threads=T median_ms=M min_ms=M ...'\n"
      "                  (also the code variant that ran and the MiB of\n"
      "                  weights the runtime moved onto huge pages).\n"
      "  --profile N     run N more times timing each layer; print per layer\n"
      "                  its op, output shape, algorithm, ms per run, "
      "GFLOP/s,\n"
      "                  %% of the measured FMA peak of the threads used and\n"
      "                  share of the total.\n"
      "  --profile-out FILE  also write the profile as CSV, or as JSON if\n"
      "                  FILE ends in .json (written atomically).\n"
      "  --quiet         do not print the result (implied by --output, "
      "--bench and\n"
      "                  --profile).\n"
      "  --help, -h      print this help and exit.\n"
      "\n"
      "synthetic input: xorshift32 seeded with 0x%08X; for each element in C "
      "order\n"
      "  x ^= x << 13; x ^= x >> 17; x ^= x << 5; value = (x >> 8) / 2^23 - "
      "1,\n"
      "  i.e. uniform in [-1, 1).\n"
      "\n"
      "printed result: for a rank-2 [N, C] output with C >= 2 (a classifier) "
      "one\n"
      "line per batch item, 'batch B: top-K: class (score), ...' with K = "
      "min(5, C);\n"
      "otherwise the output shape with min/max/mean.\n"
      "\n"
      "exit status: 0 success, 1 runtime error, 2 usage error.\n",
      program, input_shape, output_shape, cnnrt_default_num_threads(),
      max_bench_runs, SYNTHETIC_SEED);
}

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

// Parses a whole decimal integer in [min, max]; no sign tricks or suffixes.
static int parse_int(const char *text, int min, int max, int *value) {
  if (!text || *text < '0' || *text > '9')
    return 0;
  errno = 0;
  char *end = NULL;
  long parsed = strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || parsed < min || parsed > max)
    return 0;
  *value = (int)parsed;
  return 1;
}

// Returns 0 on success, else the exit status after printing the error.
static int parse_options(int argc, char **argv, options *opts) {
  memset(opts, 0, sizeof(*opts));
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    if (strcmp(arg, "-h") == 0) {
      opts->help = 1;
      continue;
    }
    if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
      print_error("unexpected argument '%s' (see --help)", arg);
      return exit_usage_error;
    }

    // Split "--name=value" without modifying argv.
    const char *equals = strchr(arg, '=');
    size_t name_len = equals ? (size_t)(equals - arg) : strlen(arg);
    const char *inline_value = equals ? equals + 1 : NULL;
#define IS_OPTION(name)                                                        \
  (name_len == sizeof(name) - 1 && strncmp(arg, name, name_len) == 0)

    if (IS_OPTION("--help") || IS_OPTION("--quiet")) {
      if (inline_value) {
        print_error("option '%.*s' takes no value (see --help)", (int)name_len,
                    arg);
        return exit_usage_error;
      }
      if (IS_OPTION("--help"))
        opts->help = 1;
      else
        opts->quiet = 1;
      continue;
    }
    if (!IS_OPTION("--input") && !IS_OPTION("--output") &&
        !IS_OPTION("--threads") && !IS_OPTION("--bench") &&
        !IS_OPTION("--batch") && !IS_OPTION("--profile") &&
        !IS_OPTION("--profile-out")) {
      print_error("unknown option '%.*s' (see --help)", (int)name_len, arg);
      return exit_usage_error;
    }

    const char *value = inline_value;
    if (!value) {
      // A following option is a forgotten value, not a file name.
      if (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0) {
        print_error("option '%s' requires a value (see --help)", arg);
        return exit_usage_error;
      }
      value = argv[++i];
    }
    if (*value == '\0') {
      print_error("option '%.*s' requires a non-empty value (see --help)",
                  (int)name_len, arg);
      return exit_usage_error;
    }

    if (IS_OPTION("--input") || IS_OPTION("--output")) {
      int is_input = IS_OPTION("--input");
      int *count = is_input ? &opts->num_inputs : &opts->num_outputs;
      if (*count >= CNNRT_MAX_TENSORS) {
        print_error("more than %d '%s' options", CNNRT_MAX_TENSORS,
                    is_input ? "--input" : "--output");
        return exit_usage_error;
      }
      (is_input ? opts->input_paths : opts->output_paths)[(*count)++] = value;
    } else if (IS_OPTION("--threads")) {
      if (!parse_int(value, 1, max_threads, &opts->threads)) {
        print_error("invalid value '%s' for '--threads': expected an integer "
                    "from 1 to %d (see --help)",
                    value, max_threads);
        return exit_usage_error;
      }
    } else if (IS_OPTION("--batch")) {
      if (!parse_int(value, 1, max_batch, &opts->batch)) {
        print_error("invalid value '%s' for '--batch': expected an integer "
                    "from 1 to %d (see --help)",
                    value, max_batch);
        return exit_usage_error;
      }
    } else if (IS_OPTION("--profile-out")) {
      opts->profile_path = value;
    } else if (IS_OPTION("--profile")) {
      if (!parse_int(value, 1, max_bench_runs, &opts->profile_runs)) {
        print_error("invalid value '%s' for '--profile': expected an integer "
                    "from 1 to %d (see --help)",
                    value, max_bench_runs);
        return exit_usage_error;
      }
    } else {
      if (!parse_int(value, 1, max_bench_runs, &opts->bench_runs)) {
        print_error("invalid value '%s' for '--bench': expected an integer "
                    "from 1 to %d (see --help)",
                    value, max_bench_runs);
        return exit_usage_error;
      }
    }
#undef IS_OPTION
  }
  if (opts->batch && opts->num_inputs) {
    print_error("'--batch' sets the synthetic input's batch; with '--input' "
                "the file's batch is used (see --help)");
    return exit_usage_error;
  }
  if (opts->profile_path && !opts->profile_runs) {
    print_error("option '--profile-out' needs '--profile N' (see --help)");
    return exit_usage_error;
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// Input and result reporting
//===----------------------------------------------------------------------===//

static void fill_synthetic(float *data, int64_t numel) {
  uint32_t x = SYNTHETIC_SEED;
  for (int64_t i = 0; i < numel; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    // 24 random bits scaled to [0, 2), exactly representable in float.
    data[i] = (float)(x >> 8) * (1.0f / 8388608.0f) - 1.0f;
  }
}

// Orders scores high to low, NaN last, ties by lower class index.
static int score_ranks_before(float a, int64_t a_index, float b,
                              int64_t b_index) {
  if (isnan(a) || isnan(b))
    return isnan(b) && (!isnan(a) || a_index < b_index);
  if (a != b)
    return a > b;
  return a_index < b_index;
}

static void print_top_classes(const cnnrt_tensor *output) {
  int64_t batch = output->shape[0], classes = output->shape[1];
  int64_t k = classes < max_top_classes ? classes : max_top_classes;
  for (int64_t b = 0; b < batch; ++b) {
    const float *scores = output->data + b * classes;
    int64_t top[max_top_classes];
    // k passes of selection: k is tiny, and it needs no scratch memory.
    for (int64_t slot = 0; slot < k; ++slot) {
      int64_t best = -1;
      for (int64_t c = 0; c < classes; ++c) {
        int taken = 0;
        for (int64_t s = 0; s < slot; ++s)
          taken |= top[s] == c;
        if (!taken &&
            (best < 0 || score_ranks_before(scores[c], c, scores[best], best)))
          best = c;
      }
      top[slot] = best;
    }
    printf("batch %lld: top-%lld:", (long long)b, (long long)k);
    for (int64_t slot = 0; slot < k; ++slot)
      printf("%s %lld (%.4f)", slot ? "," : "", (long long)top[slot],
             scores[top[slot]]);
    printf("\n");
  }
}

static void print_statistics(const cnnrt_tensor *output) {
  char shape[CNNRT_SHAPE_STR_MAX];
  cnnrt_format_shape(output->rank, output->shape, shape, sizeof(shape));
  double min = INFINITY, max = -INFINITY, sum = 0.0;
  int64_t nan_count = 0;
  for (int64_t i = 0; i < output->numel; ++i) {
    float value = output->data[i];
    if (isnan(value)) {
      ++nan_count;
      continue;
    }
    min = value < min ? value : min;
    max = value > max ? value : max;
    sum += value;
  }
  int64_t counted = output->numel - nan_count;
  if (counted == 0) {
    printf("output: shape %s (%s)\n", shape,
           output->numel == 0 ? "empty" : "all NaN");
    return;
  }
  printf("output: shape %s min=%.6g max=%.6g mean=%.6g", shape, min, max,
         sum / (double)counted);
  if (nan_count)
    printf(" nan=%lld", (long long)nan_count);
  printf("\n");
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

// Times `runs` runs (the caller did the warm-up) and prints the bench line.
static int run_benchmark(const model_io *io, int runs, int threads) {
  double *times_ms = (double *)malloc((size_t)runs * sizeof(double));
  if (!times_ms) {
    print_error("out of memory allocating %d benchmark timings", runs);
    return exit_runtime_error;
  }
  for (int i = 0; i < runs; ++i) {
    double start = cnnrt_now_ms();
    if (run_model(io) != 0) {
      free(times_ms);
      return exit_runtime_error;
    }
    times_ms[i] = cnnrt_now_ms() - start;
  }
  qsort(times_ms, (size_t)runs, sizeof(double), compare_doubles);
  double median = runs % 2
                      ? times_ms[runs / 2]
                      : 0.5 * (times_ms[runs / 2 - 1] + times_ms[runs / 2]);
  printf("bench: runs=%d threads=%d median_ms=%.3f min_ms=%.3f target=%s "
         "vector_bits=%d huge_page_mib=%.1f\n",
         runs, threads, median, times_ms[0], cnn_model_target(),
         (int)cnn_model_vector_bits(),
         (double)cnnrt_huge_page_bytes() / (1024.0 * 1024.0));
  free(times_ms);
  return 0;
}

//===----------------------------------------------------------------------===//
// Per-layer profile
//===----------------------------------------------------------------------===//

// A layer's output shape as "1x64x56x56" ("?" for an unknown dimension).
static void format_layer_shape(const cnn_layer_info *layer, char *text,
                               size_t size) {
  size_t length = 0;
  text[0] = '\0';
  for (int64_t d = 0; d < layer->rank && length + 1 < size; ++d) {
    int written =
        layer->shape[d] < 0
            ? snprintf(text + length, size - length, "%s?", d ? "x" : "")
            : snprintf(text + length, size - length, "%s%lld", d ? "x" : "",
                       (long long)layer->shape[d]);
    if (written < 0)
      break;
    length += (size_t)written;
  }
}

// `text` as a JSON string, quoted and escaped.
static void write_json_string(FILE *file, const char *text) {
  fputc('"', file);
  for (const unsigned char *c = (const unsigned char *)text; *c; ++c) {
    if (*c == '"' || *c == '\\')
      fprintf(file, "\\%c", *c);
    else if (*c < 0x20)
      fprintf(file, "\\u%04x", *c);
    else
      fputc(*c, file);
  }
  fputc('"', file);
}

// `text` as a CSV field: quoted, with quotes doubled, if it holds a comma,
// a quote or a line break (RFC 4180).
static void write_csv_field(FILE *file, const char *text) {
  if (!strpbrk(text, ",\"\r\n")) {
    fputs(text, file);
    return;
  }
  fputc('"', file);
  for (const char *c = text; *c; ++c) {
    if (*c == '"')
      fputc('"', file);
    fputc(*c, file);
  }
  fputc('"', file);
}

// Writes the profile as CSV, or JSON when `path` ends in ".json", to a
// temporary file renamed over `path`. Layer names come from the model (ONNX
// node names) and are escaped.
static int write_profile(const char *path, int count, const double *ms,
                         int threads, double peak, double flops_scale) {
  size_t length = strlen(path);
  int json = length >= 5 && strcmp(path + length - 5, ".json") == 0;
  char temporary[4096];
  if (snprintf(temporary, sizeof(temporary), "%s.tmp.%ld", path,
               (long)getpid()) >= (int)sizeof(temporary)) {
    print_error("%s: path too long", path);
    return exit_runtime_error;
  }
  FILE *file = fopen(temporary, "w");
  if (!file) {
    print_error("%s: cannot write: %s", path, strerror(errno));
    return exit_runtime_error;
  }
  if (json)
    fprintf(file,
            "{\"threads\": %d, \"fma_peak_gflops_per_core\": %.1f, "
            "\"target\": \"%s\", \"vector_bits\": %d, "
            "\"huge_page_mib\": %.1f, \"layers\": [\n",
            threads, peak, cnn_model_target(), (int)cnn_model_vector_bits(),
            (double)cnnrt_huge_page_bytes() / (1024.0 * 1024.0));
  else
    fprintf(file, "layer,name,op,output,algorithm,flops,ms,gflops\n");
  for (int i = 0; i < count; ++i) {
    const cnn_layer_info *layer = cnn_model_layer(i);
    char shape[128];
    format_layer_shape(layer, shape, sizeof(shape));
    const char *fields[] = {layer->name, layer->op, shape, layer->algorithm};
    double flops = (double)layer->flops * flops_scale;
    double gflops = ms[i] > 0 ? flops / ms[i] * 1e-6 : 0.0;
    if (json) {
      static const char *const keys[] = {"name", "op", "output", "algorithm"};
      fprintf(file, "  {\"layer\": %d", i);
      for (int k = 0; k < 4; ++k) {
        fprintf(file, ", \"%s\": ", keys[k]);
        write_json_string(file, fields[k]);
      }
      fprintf(file, ", \"flops\": %.0f, \"ms\": %.4f, \"gflops\": %.2f}%s\n",
              flops, ms[i], gflops, i + 1 < count ? "," : "");
    } else {
      fprintf(file, "%d", i);
      for (int k = 0; k < 4; ++k) {
        fputc(',', file);
        write_csv_field(file, fields[k]);
      }
      fprintf(file, ",%.0f,%.4f,%.2f\n", flops, ms[i], gflops);
    }
  }
  if (json)
    fprintf(file, "]}\n");
  int failed = ferror(file);
  if (fclose(file) != 0 || failed || rename(temporary, path) != 0) {
    print_error("%s: cannot write: %s", path, strerror(errno));
    remove(temporary);
    return exit_runtime_error;
  }
  return 0;
}

// Runs the model `runs` times with per-layer timing and prints one line per
// layer: time per run, GFLOP/s, % of the measured FMA peak of `threads`
// cores, and share of the total.
static int run_profile(const model_io *io, const options *opts, int threads) {
  int count = (int)cnn_model_num_layers();
  if (count <= 0) {
    print_error("this model was compiled without a layer table; recompile it "
                "with cnnc to use --profile");
    return exit_runtime_error;
  }
  double *ms = (double *)calloc((size_t)count + 1, sizeof(double));
  if (!ms || cnnrt_profile_start(count) != 0) {
    print_error("out of memory preparing the profile");
    free(ms);
    return exit_runtime_error;
  }
  int failed = 0;
  for (int run = 0; run < opts->profile_runs && !failed; ++run)
    failed = run_model(io);
  cnnrt_profile_stop();
  if (failed) {
    free(ms);
    return exit_runtime_error;
  }
  // The table counts the FLOPs of one compiled block of images.
  double flops_scale = (double)io->batch / (double)cnn_model_batch_block();
  double total = 0.0;
  for (int i = 0; i < count; ++i) {
    ms[i] = cnnrt_profile_layer_ms(i) / opts->profile_runs;
    total += ms[i];
  }
  // The peak of the instructions the model's code uses: AVX2 code on an
  // AVX-512 CPU is measured against the 256-bit FMA peak.
  int vector_bits = (int)cnn_model_vector_bits();
  double peak = cnnrt_measure_fma_peak_gflops(vector_bits);
  double machine_peak = peak * threads;
  printf("profile: %d runs, %d threads, FMA peak %.1f GFLOP/s per core "
         "(measured), %.3f ms per run, target %s (%d-bit vectors), weights "
         "on huge pages %.1f MiB\n",
         opts->profile_runs, threads, peak, total, cnn_model_target(),
         vector_bits, (double)cnnrt_huge_page_bytes() / (1024.0 * 1024.0));
  printf("%4s  %-28s %-30s %-16s %-11s %9s %9s %6s %6s\n", "#", "layer", "op",
         "output", "algorithm", "ms", "GFLOP/s", "%peak", "share");
  for (int i = 0; i < count; ++i) {
    const cnn_layer_info *layer = cnn_model_layer(i);
    char shape[128];
    format_layer_shape(layer, shape, sizeof(shape));
    double flops = (double)layer->flops * flops_scale;
    double gflops = ms[i] > 0 ? flops / ms[i] * 1e-6 : 0.0;
    char rate[32] = "-", share_of_peak[32] = "-";
    if (flops > 0) {
      snprintf(rate, sizeof(rate), "%.1f", gflops);
      if (machine_peak > 0)
        snprintf(share_of_peak, sizeof(share_of_peak), "%.0f%%",
                 100.0 * gflops / machine_peak);
    }
    printf("%4d  %-28.28s %-30.30s %-16.16s %-11.11s %9.4f %9s %6s %5.1f%%\n",
           i, layer->name, layer->op, shape, layer->algorithm, ms[i], rate,
           share_of_peak, total > 0 ? 100.0 * ms[i] / total : 0.0);
  }
  int status = 0;
  if (opts->profile_path)
    status = write_profile(opts->profile_path, count, ms, threads, peak,
                           flops_scale);
  free(ms);
  return status;
}

//===----------------------------------------------------------------------===//
// main
//===----------------------------------------------------------------------===//

int main(int argc, char **argv) {
  const char *program = argc > 0 && argv[0] ? argv[0] : "model";
  options opts;
  int status = parse_options(argc, argv, &opts);
  if (status != 0)
    return status;
  if (opts.help) {
    print_usage(program);
    return fflush(stdout) == 0 ? 0 : exit_runtime_error;
  }

  model_io io;
  memset(&io, 0, sizeof(io));
  char err[CNNRT_ERROR_MAX];
  int exit_code = exit_runtime_error;
  // Before any of the model's code runs: a CPU without the features it was
  // compiled for gets one line saying so, not an illegal instruction.
  if (cnn_model_check_cpu(err, sizeof(err)) != 0) {
    print_error("%s", err);
    return exit_runtime_error;
  }
  const int64_t num_inputs = cnn_model_num_inputs();
  const int64_t num_outputs = cnn_model_num_outputs();
  if ((opts.num_inputs && opts.num_inputs != num_inputs) ||
      (opts.num_outputs && opts.num_outputs != num_outputs)) {
    int inputs = opts.num_inputs && opts.num_inputs != num_inputs;
    print_error("the model has %lld %s; give one '%s' for each, in the "
                "order --help lists them",
                (long long)(inputs ? num_inputs : num_outputs),
                inputs ? "inputs" : "outputs", inputs ? "--input" : "--output");
    return exit_usage_error;
  }
  const int dynamic_batch = model_has_dynamic_batch();
  // The batch of this run: the model's, or with a dynamic batch the input
  // files' (the same in each) or --batch (default 1).
  io.batch = dynamic_batch ? (opts.batch ? opts.batch : 1)
                           : cnn_model_input_shape()[0];
  if (!dynamic_batch && opts.batch && opts.batch != io.batch) {
    print_error("'--batch %d': this model was compiled for batch %lld; "
                "compile it with cnnc --batch=dynamic to run any batch",
                opts.batch, (long long)io.batch);
    return exit_usage_error;
  }

  for (int64_t t = 0; t < num_inputs; ++t) {
    cnnrt_tensor *input = &io.inputs[t];
    const int64_t rank = cnn_model_input_rank_at(t);
    const int64_t *model_shape = cnn_model_input_shape_at(t);
    int64_t shape[CNNRT_MAX_RANK];
    for (int64_t i = 0; i < rank && i < CNNRT_MAX_RANK; ++i)
      shape[i] = model_shape[i];
    if (!opts.num_inputs) {
      shape[0] = io.batch;
      if (cnnrt_tensor_alloc(input, rank, shape, err, sizeof(err)) != 0) {
        print_error("model input '%s': %s", cnn_model_input_name(t), err);
        goto cleanup;
      }
      fill_synthetic(input->data, input->numel);
      continue;
    }
    const char *path = opts.input_paths[t];
    if (cnnrt_npy_read(path, input, err, sizeof(err)) != 0) {
      print_error("%s", err);
      goto cleanup;
    }
    // With a dynamic batch, the first file's batch is the run's.
    if (dynamic_batch && t == 0 && input->rank == rank && rank > 0)
      io.batch = input->shape[0];
    shape[0] = io.batch;
    if (!cnnrt_shape_equal(input->rank, input->shape, rank, shape)) {
      char got[CNNRT_SHAPE_STR_MAX], expected[CNNRT_SHAPE_STR_MAX];
      cnnrt_format_shape(input->rank, input->shape, got, sizeof(got));
      cnnrt_format_shape(rank, model_shape, expected, sizeof(expected));
      int batch_only = input->rank == rank && rank > 0 && !dynamic_batch;
      for (int64_t i = 1; i < rank && batch_only; ++i)
        batch_only = input->shape[i] == model_shape[i];
      print_error("%s: shape %s does not match the model input%s%s%s shape "
                  "%s%s",
                  path, got, num_inputs > 1 ? " '" : "",
                  num_inputs > 1 ? cnn_model_input_name(t) : "",
                  num_inputs > 1 ? "'" : "", expected,
                  batch_only ? "; compile the model with cnnc "
                               "--batch=dynamic to run any batch"
                  : dynamic_batch && t > 0
                      ? "; every input must have the first one's batch"
                      : "; for another image size compile an ONNX model "
                        "with cnnc --input-shape=NxCxHxW");
      goto cleanup;
    }
  }
  for (int64_t t = 0; t < num_outputs; ++t) {
    const int64_t rank = cnn_model_output_rank_at(t);
    int64_t shape[CNNRT_MAX_RANK];
    for (int64_t i = 0; i < rank && i < CNNRT_MAX_RANK; ++i)
      shape[i] = cnn_model_output_shape_at(t)[i];
    shape[0] = io.batch;
    if (cnnrt_tensor_alloc(&io.outputs[t], rank, shape, err, sizeof(err)) !=
        0) {
      print_error("model output '%s': %s", cnn_model_output_name(t), err);
      goto cleanup;
    }
  }

  // --threads, else OMP_NUM_THREADS, else every CPU this process may use.
  int threads = opts.threads ? opts.threads : cnnrt_get_num_threads();
  cnnrt_set_num_threads(threads);
  cnnrt_keep_freed_memory();

  // This run produces the reported output and doubles as the bench warm-up.
  if (run_model(&io) != 0)
    goto cleanup;

  for (int t = 0; t < opts.num_outputs; ++t)
    if (cnnrt_npy_write_tensor(opts.output_paths[t], &io.outputs[t], err,
                               sizeof(err)) != 0) {
      print_error("%s", err);
      goto cleanup;
    }
  if (!opts.quiet && !opts.num_outputs && !opts.bench_runs &&
      !opts.profile_runs) {
    for (int64_t t = 0; t < num_outputs; ++t) {
      const cnnrt_tensor *output = &io.outputs[t];
      if (num_outputs > 1)
        printf("output '%s':\n", cnn_model_output_name(t));
      if (output->rank == 2 && output->shape[0] >= 1 && output->shape[1] >= 2)
        print_top_classes(output);
      else
        print_statistics(output);
    }
  }

  if (opts.bench_runs && run_benchmark(&io, opts.bench_runs, threads) != 0)
    goto cleanup;
  if (opts.profile_runs && run_profile(&io, &opts, threads) != 0)
    goto cleanup;

  // Catch lost output, e.g. stdout redirected to a full disk.
  if (fflush(stdout) != 0 || ferror(stdout)) {
    print_error("cannot write to standard output: %s", strerror(errno));
    goto cleanup;
  }
  exit_code = 0;

cleanup:
  for (int t = 0; t < CNNRT_MAX_TENSORS; ++t) {
    cnnrt_tensor_free(&io.inputs[t]);
    cnnrt_tensor_free(&io.outputs[t]);
  }
  return exit_code;
}
