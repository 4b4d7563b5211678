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
#include "cnnrt/cnnrt.h"

#define FAKE_INPUT_NUMEL (1 * 3 * 4 * 4)

static const int64_t fake_input_shape[] = {1, 3, 4, 4};
#ifdef FAKE_MODEL_FEATURE_MAP
static const int64_t fake_output_shape[] = {1, 2, 2, 2};
#define FAKE_OUTPUT_NUMEL 8
#else
static const int64_t fake_output_shape[] = {1, 10};
#define FAKE_OUTPUT_NUMEL 10
#endif

// output[k] = sum_i input[i] * w(k, i) + 0.01 k, with small integer weights
// so results are easy to recompute in a test.
static void fake_run(const float *const *inputs, float *const *outputs,
                     void *workspace) {
  (void)workspace;
  const float *input = inputs[0];
  float *output = outputs[0];
  for (int k = 0; k < FAKE_OUTPUT_NUMEL; ++k) {
    float sum = 0.01f * (float)k;
    for (int i = 0; i < FAKE_INPUT_NUMEL; ++i)
      sum += input[i] * (float)((i * 7 + k * 3) % 11 - 5);
    output[k] = sum;
  }
}

// One variant and the model descriptor, as cnnc emits them:
// FAKE_MODEL_FEATURES names the CPU features it claims to need (a name the
// runtime does not know counts as missing).
#ifndef FAKE_MODEL_FEATURES
#define FAKE_MODEL_FEATURES ""
#endif
static const int64_t fake_layer_shape[] = {1, 10};
static const cnn_layer_info fake_layers[] = {
    {"fc", "linear+bias", "direct", 2, fake_layer_shape, 960}};
static const cnn_layer_info *fake_layer_table(int64_t *count) {
  *count = 1;
  return fake_layers;
}
static const cnnrt_variant fake_variants[] = {{"fake-cpu", FAKE_MODEL_FEATURES,
                                               256, fake_run, NULL,
                                               fake_layer_table, 1024}};
static int32_t fake_selected = -1;
static int64_t fake_mapped = -1;
static const cnnrt_tensor_info fake_inputs[] = {
    {"input", 4, fake_input_shape, FAKE_INPUT_NUMEL}};
static const cnnrt_tensor_info fake_outputs[] = {
    {"output",
     (int64_t)(sizeof(fake_output_shape) / sizeof(fake_output_shape[0])),
     fake_output_shape, FAKE_OUTPUT_NUMEL}};
static const cnnrt_model fake_model = {
    "cnn_model",  fake_variants, 1,    &fake_selected, 1, 0, 1, fake_inputs, 1,
    fake_outputs, NULL,          NULL, &fake_mapped};

int cnn_model_run(const float *input, float *output) {
  return cnnrt_model_run(&fake_model, 1, input, output, NULL, 0);
}
int cnn_model_run_batch(int64_t n, const float *input, float *output) {
  return cnnrt_model_run(&fake_model, n, input, output, NULL, 0);
}
int cnn_model_run_with_workspace(int64_t n, const float *input, float *output,
                                 void *workspace, size_t workspace_bytes) {
  return cnnrt_model_run(&fake_model, n, input, output, workspace,
                         workspace_bytes);
}
size_t cnn_model_workspace_size(void) {
  return cnnrt_model_workspace_size(&fake_model);
}
void cnn_model_release_workspace(void) { cnnrt_release_workspace(); }
const char *cnn_model_error_message(void) { return cnnrt_last_error(); }
int64_t cnn_model_batch_block(void) { return 1; }
int cnn_model_check_cpu(char *err, size_t errlen) {
  return cnnrt_model_check_cpu(&fake_model, err, errlen);
}
const char *cnn_model_target(void) { return cnnrt_model_target(&fake_model); }
int64_t cnn_model_vector_bits(void) {
  return cnnrt_model_vector_bits(&fake_model);
}
int64_t cnn_model_num_layers(void) {
  return cnnrt_model_num_layers(&fake_model);
}
const cnn_layer_info *cnn_model_layer(int64_t index) {
  return cnnrt_model_layer(&fake_model, index);
}
int cnn_model_run_io(int64_t n, const float *const *inputs,
                     float *const *outputs, void *workspace,
                     size_t workspace_bytes) {
  return cnnrt_model_run_io(&fake_model, n, inputs, outputs, workspace,
                            workspace_bytes);
}
int64_t cnn_model_num_inputs(void) { return 1; }
int64_t cnn_model_num_outputs(void) { return 1; }
const char *cnn_model_input_name(int64_t i) {
  return cnnrt_model_tensor_name(&fake_model, 0, i);
}
const char *cnn_model_output_name(int64_t i) {
  return cnnrt_model_tensor_name(&fake_model, 1, i);
}
int64_t cnn_model_input_rank_at(int64_t i) {
  return cnnrt_model_tensor_rank(&fake_model, 0, i);
}
int64_t cnn_model_output_rank_at(int64_t i) {
  return cnnrt_model_tensor_rank(&fake_model, 1, i);
}
const int64_t *cnn_model_input_shape_at(int64_t i) {
  return cnnrt_model_tensor_shape(&fake_model, 0, i);
}
const int64_t *cnn_model_output_shape_at(int64_t i) {
  return cnnrt_model_tensor_shape(&fake_model, 1, i);
}
int64_t cnn_model_input_rank(void) { return cnn_model_input_rank_at(0); }
const int64_t *cnn_model_input_shape(void) {
  return cnn_model_input_shape_at(0);
}
int64_t cnn_model_output_rank(void) { return cnn_model_output_rank_at(0); }
const int64_t *cnn_model_output_shape(void) {
  return cnn_model_output_shape_at(0);
}
