// Links two models compiled with different `cnnc --name` into one program:
// runs `alpha` on A_IN and `beta` on B_IN, writes A_OUT and B_OUT.
//
//   two_models A_IN A_OUT B_IN B_OUT
#include "alpha.h"
#include "beta.h"
#include "cnnrt/cnnrt.h"

#include <stdio.h>

#define RUN_MODEL(model, in_path, out_path)                                    \
  do {                                                                         \
    char err[CNNRT_ERROR_MAX];                                                 \
    cnnrt_tensor in = {0}, out = {0};                                          \
    if (model##_check_cpu(err, sizeof(err)) != 0 ||                            \
        cnnrt_npy_read(in_path, &in, err, sizeof(err)) != 0 ||                 \
        cnnrt_tensor_alloc(&out, model##_output_rank(),                        \
                           model##_output_shape(), err, sizeof(err)) != 0) {   \
      fprintf(stderr, "error: %s: %s\n", #model, err);                         \
      return 1;                                                                \
    }                                                                          \
    if (model##_run(in.data, out.data) != 0) {                                 \
      fprintf(stderr, "error: %s: %s\n", #model, model##_error_message());     \
      return 1;                                                                \
    }                                                                          \
    if (cnnrt_npy_write_tensor(out_path, &out, err, sizeof(err)) != 0) {       \
      fprintf(stderr, "error: %s\n", err);                                     \
      return 1;                                                                \
    }                                                                          \
    printf("%s: target %s, output rank %lld\n", #model, model##_target(),      \
           (long long)model##_output_rank());                                  \
    /* Its layers: the last one computes the output (same shape). */           \
    int64_t layers = model##_num_layers();                                     \
    const cnn_layer_info *last = model##_layer(layers - 1);                    \
    int same = last && model##_layer(layers) == NULL &&                        \
               last->rank == model##_output_rank();                            \
    for (int64_t d = 0; same && d < last->rank; ++d)                           \
      same = last->shape[d] == model##_output_shape()[d];                      \
    printf(                                                                    \
        "%s: %lld layers, last %s (%s, %s, %lld FLOPs), output shape: %s\n",   \
        #model, (long long)layers, last ? last->name : "-",                    \
        last ? last->op : "-", last ? last->algorithm : "-",                   \
        last ? (long long)last->flops : 0LL, same ? "same" : "different");     \
    cnnrt_tensor_free(&in);                                                    \
    cnnrt_tensor_free(&out);                                                   \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s A_IN A_OUT B_IN B_OUT\n", argv[0]);
    return 2;
  }
  RUN_MODEL(alpha, argv[1], argv[2]);
  RUN_MODEL(beta, argv[3], argv[4]);
  // What both first runs moved onto huge pages (runtime/src/constants.c).
  printf("weights on huge pages: %lld MiB\n",
         (long long)(cnnrt_huge_page_bytes() >> 20));
  return 0;
}
