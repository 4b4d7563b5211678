//===- model.c - The C ABI of compiled models ---------------------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// A model object holds its code variants and a cnnrt_model descriptor; its
// exported functions (cnnrt/cnn_model_abi.h) forward here. This file
// chooses the variant, checks the batch count and the buffers, provides the
// workspace (the caller's, or one cached per thread) and runs the batch in
// compiled blocks plus a remainder. Nothing here prints or exits: errors
// are a status and a per-thread message.
//
//===----------------------------------------------------------------------===//

#define _POSIX_C_SOURCE 200809L

#include "cnnrt/cnnrt.h"
#include "internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

//===----------------------------------------------------------------------===//
// Per-thread state: the last error and the cached workspace
//===----------------------------------------------------------------------===//

static _Thread_local char last_error[CNNRT_ERROR_MAX];

const char *cnnrt_last_error(void) { return last_error; }

typedef struct cached_workspace {
  void *data;
  size_t bytes;
} cached_workspace;

static pthread_key_t workspace_key;
static pthread_once_t workspace_key_once = PTHREAD_ONCE_INIT;
static int workspace_key_status = -1;

static void free_workspace(void *value) {
  cached_workspace *cache = (cached_workspace *)value;
  if (!cache)
    return;
  free(cache->data);
  free(cache);
}

static void create_workspace_key(void) {
  workspace_key_status = pthread_key_create(&workspace_key, free_workspace);
}

/// The calling thread's workspace of at least `bytes`, or NULL (out of
/// memory) with the error set.
static void *thread_workspace(const cnnrt_model *model, size_t bytes) {
  pthread_once(&workspace_key_once, create_workspace_key);
  if (workspace_key_status != 0) {
    cnnrt_set_error(last_error, sizeof(last_error),
                    "%s: cannot create the per-thread workspace key",
                    model->name);
    return NULL;
  }
  cached_workspace *cache =
      (cached_workspace *)pthread_getspecific(workspace_key);
  if (cache && cache->bytes >= bytes)
    return cache->data;
  if (!cache) {
    cache = (cached_workspace *)calloc(1, sizeof(*cache));
    if (!cache || pthread_setspecific(workspace_key, cache) != 0) {
      free(cache);
      cnnrt_set_error(last_error, sizeof(last_error),
                      "%s: out of memory for the per-thread workspace",
                      model->name);
      return NULL;
    }
  }
  free(cache->data);
  cache->data = NULL;
  cache->bytes = 0;
  void *data = NULL;
  // Whole cache lines; never 0 so that a model without activations still
  // gets a valid pointer.
  size_t padded =
      (bytes + CNNRT_ALIGNMENT - 1) / CNNRT_ALIGNMENT * CNNRT_ALIGNMENT;
  if (padded == 0)
    padded = CNNRT_ALIGNMENT;
  if (padded < bytes || posix_memalign(&data, CNNRT_ALIGNMENT, padded) != 0 ||
      !data) {
    cnnrt_set_error(last_error, sizeof(last_error),
                    "%s: out of memory allocating its %.1f MiB workspace",
                    model->name, (double)bytes / (1024.0 * 1024.0));
    return NULL;
  }
  cache->data = data;
  cache->bytes = padded;
  return data;
}

void cnnrt_release_workspace(void) {
  pthread_once(&workspace_key_once, create_workspace_key);
  if (workspace_key_status != 0)
    return;
  cached_workspace *cache =
      (cached_workspace *)pthread_getspecific(workspace_key);
  if (!cache)
    return;
  free(cache->data);
  cache->data = NULL;
  cache->bytes = 0;
}

//===----------------------------------------------------------------------===//
// The model's entry points
//===----------------------------------------------------------------------===//

/// The variant this CPU runs, or NULL with the error set.
static const cnnrt_variant *select_variant(const cnnrt_model *model) {
  int32_t index =
      cnnrt_variant_select(model->variants, model->count, model->selected,
                           last_error, sizeof(last_error));
  return index < 0 ? NULL : &model->variants[index];
}

static const cnnrt_variant *chosen_variant(const cnnrt_model *model) {
  int32_t index = cnnrt_variant_select(model->variants, model->count,
                                       model->selected, NULL, 0);
  return index < 0 ? NULL : &model->variants[index];
}

/// Before the model's first run: its weights onto huge pages
/// (constants.c). Later runs see the result through `constants_mapped`
/// without locking; the first ones wait here, since no code of the model
/// may read its weights while they move.
static void map_constants_once(const cnnrt_model *model) {
  static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  if (!model->constants_mapped ||
      __atomic_load_n(model->constants_mapped, __ATOMIC_ACQUIRE) >= 0)
    return;
  pthread_mutex_lock(&mutex);
  if (__atomic_load_n(model->constants_mapped, __ATOMIC_RELAXED) < 0)
    __atomic_store_n(
        model->constants_mapped,
        cnnrt_map_constants(model->constants_begin, model->constants_end),
        __ATOMIC_RELEASE);
  pthread_mutex_unlock(&mutex);
}

int cnnrt_model_run_io(const cnnrt_model *model, int64_t n,
                       const float *const *inputs, float *const *outputs,
                       void *workspace, size_t workspace_bytes) {
  last_error[0] = '\0';
  const cnnrt_variant *variant = select_variant(model);
  if (!variant)
    return CNNRT_ERR_UNSUPPORTED_CPU;
  int64_t block = model->batch_block;
  if (model->dynamic_batch) {
    if (n < 0) {
      cnnrt_set_error(last_error, sizeof(last_error),
                      "%s: invalid batch count %lld", model->name,
                      (long long)n);
      return CNNRT_ERR_INVALID_ARGUMENT;
    }
  } else if (n != block) {
    cnnrt_set_error(last_error, sizeof(last_error),
                    "%s: the model was compiled for batch %lld, not %lld "
                    "(compile it with --batch=dynamic to run any batch, or "
                    "--batch=%lld)",
                    model->name, (long long)block, (long long)n, (long long)n);
    return CNNRT_ERR_INVALID_ARGUMENT;
  }
  if (n == 0)
    return CNNRT_OK;
  if (!inputs || !outputs) {
    cnnrt_set_error(last_error, sizeof(last_error), "%s: the %s array is NULL",
                    model->name, inputs ? "output" : "input");
    return CNNRT_ERR_INVALID_ARGUMENT;
  }
  for (int64_t i = 0; i < model->num_inputs + model->num_outputs; ++i) {
    int is_output = i >= model->num_inputs;
    int64_t index = is_output ? i - model->num_inputs : i;
    const void *buffer =
        is_output ? (const void *)outputs[index] : (const void *)inputs[index];
    if (!buffer) {
      const cnnrt_tensor_info *info =
          is_output ? &model->outputs[index] : &model->inputs[index];
      cnnrt_set_error(last_error, sizeof(last_error), "%s: the %s '%s' is NULL",
                      model->name, is_output ? "output" : "input", info->name);
      return CNNRT_ERR_INVALID_ARGUMENT;
    }
  }
  size_t needed = (size_t)variant->workspace_bytes;
  if (workspace) {
    if (workspace_bytes < needed) {
      cnnrt_set_error(last_error, sizeof(last_error),
                      "%s: the workspace has %zu bytes; the model needs %zu "
                      "(cnn_model_workspace_size)",
                      model->name, workspace_bytes, needed);
      return CNNRT_ERR_INVALID_ARGUMENT;
    }
    if ((uintptr_t)workspace % CNNRT_ALIGNMENT != 0) {
      cnnrt_set_error(last_error, sizeof(last_error),
                      "%s: the workspace is not %d-byte aligned", model->name,
                      CNNRT_ALIGNMENT);
      return CNNRT_ERR_INVALID_ARGUMENT;
    }
  } else {
    workspace = thread_workspace(model, needed);
    if (!workspace)
      return CNNRT_ERR_OUT_OF_MEMORY;
  }

  map_constants_once(model);
  // Whole blocks through the block code, the rest image by image.
  const float *in[CNNRT_MAX_TENSORS];
  float *out[CNNRT_MAX_TENSORS];
  for (int64_t first = 0; first < n;) {
    int whole = n - first >= block;
    for (int64_t i = 0; i < model->num_inputs; ++i)
      in[i] = inputs[i] + first * model->inputs[i].image_floats;
    for (int64_t i = 0; i < model->num_outputs; ++i)
      out[i] = outputs[i] + first * model->outputs[i].image_floats;
    (whole ? variant->run : variant->run_single)(in, out, workspace);
    first += whole ? block : 1;
  }
  return CNNRT_OK;
}

int cnnrt_model_run(const cnnrt_model *model, int64_t n, const float *input,
                    float *output, void *workspace, size_t workspace_bytes) {
  if (model->num_inputs != 1 || model->num_outputs != 1) {
    cnnrt_set_error(last_error, sizeof(last_error),
                    "%s: the model has %lld inputs and %lld outputs; run it "
                    "with %s_run_io",
                    model->name, (long long)model->num_inputs,
                    (long long)model->num_outputs, model->name);
    return CNNRT_ERR_INVALID_ARGUMENT;
  }
  const float *inputs[1] = {input};
  float *outputs[1] = {output};
  return cnnrt_model_run_io(model, n, inputs, outputs, workspace,
                            workspace_bytes);
}

size_t cnnrt_model_workspace_size(const cnnrt_model *model) {
  const cnnrt_variant *variant = chosen_variant(model);
  return variant ? (size_t)variant->workspace_bytes : 0;
}

int cnnrt_model_check_cpu(const cnnrt_model *model, char *err, size_t errlen) {
  return cnnrt_variant_select(model->variants, model->count, model->selected,
                              err, errlen) < 0
             ? CNNRT_ERR_UNSUPPORTED_CPU
             : CNNRT_OK;
}

const char *cnnrt_model_target(const cnnrt_model *model) {
  const cnnrt_variant *variant = chosen_variant(model);
  return variant ? variant->target : NULL;
}

int64_t cnnrt_model_vector_bits(const cnnrt_model *model) {
  const cnnrt_variant *variant = chosen_variant(model);
  return variant ? variant->vector_bits : 0;
}

// The chosen variant's layers; NULL and 0 if none runs or it has no table.
static const cnn_layer_info *chosen_layers(const cnnrt_model *model,
                                           int64_t *count) {
  const cnnrt_variant *variant = chosen_variant(model);
  *count = 0;
  const cnn_layer_info *layers =
      variant && variant->layer_table ? variant->layer_table(count) : NULL;
  if (!layers)
    *count = 0;
  return layers;
}

int64_t cnnrt_model_num_layers(const cnnrt_model *model) {
  int64_t count;
  chosen_layers(model, &count);
  return count;
}

const cnn_layer_info *cnnrt_model_layer(const cnnrt_model *model,
                                        int64_t index) {
  int64_t count;
  const cnn_layer_info *layers = chosen_layers(model, &count);
  return index >= 0 && index < count ? &layers[index] : NULL;
}

const cnnrt_tensor_info *cnnrt_model_tensor(const cnnrt_model *model,
                                            int64_t output, int64_t index) {
  int64_t count = output ? model->num_outputs : model->num_inputs;
  if (index < 0 || index >= count)
    return NULL;
  return output ? &model->outputs[index] : &model->inputs[index];
}

const char *cnnrt_model_tensor_name(const cnnrt_model *model, int64_t output,
                                    int64_t index) {
  const cnnrt_tensor_info *info = cnnrt_model_tensor(model, output, index);
  return info ? info->name : NULL;
}

int64_t cnnrt_model_tensor_rank(const cnnrt_model *model, int64_t output,
                                int64_t index) {
  const cnnrt_tensor_info *info = cnnrt_model_tensor(model, output, index);
  return info ? info->rank : 0;
}

const int64_t *cnnrt_model_tensor_shape(const cnnrt_model *model,
                                        int64_t output, int64_t index) {
  const cnnrt_tensor_info *info = cnnrt_model_tensor(model, output, index);
  return info ? info->shape : NULL;
}
