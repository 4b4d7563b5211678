// RUN: cnn-opt %s -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2
// RUN: cnn-opt %s -cnn-select-kernels="winograd=off" | FileCheck %s --check-prefix=OFF
// RUN: cnn-opt %s -cnn-select-kernels="winograd=on" | FileCheck %s --check-prefix=ON
// RUN: cnn-opt %s -cnn-select-kernels="filter-cache-kib=4096" | FileCheck %s --check-prefix=CACHE
// RUN: cnn-opt %s -cnn-select-kernels -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: cnn-opt %s -cnn-select-kernels="kernel-config=%S/Inputs/kernel-config.json" | FileCheck %s --check-prefix=CONFIG

// The cost model's decision for each layer, as the #cnn.kernel attribute
// the lowering reads. Defaults are AVX-512's (16 lanes, 32 registers, 16
// accumulators, 512 KiB of filter per task).

// The stem (width stride 2, 3 channels): columns paired into a stride-1
// convolution over 6 channels and 4 columns; 4 pixels x 64 channels
// (4 vectors, 16 accumulators); the 43 KiB filter fits, so tasks are rows.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = paired_columns, vector_width = 16, pixels = 4, tail = 0, channels = 64, reduction = 6, task_rows = 1, task_channels = 64, pack_filter = false>
// AVX2 has 16 registers: 2 vectors x 6 pixels (+ 2 filter vectors + 1
// broadcast = 15); 112 = 18 x 6 + 4 is worth a tail block of 4.
// AVX2: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = paired_columns, vector_width = 8, pixels = 6, tail = 4, channels = 16, reduction = 6, task_rows = 1, task_channels = 64, pack_filter = true>
// CHECK: cnn.max_pool2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 64, reduction = 1, task_rows = 1, task_channels = 64, pack_filter = false>
// 56x56x64: 196 F(4x4) tiles; the blocks are its GEMMs' (tiles x channels).
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 16, pixels = 4, tail = 0, channels = 64, reduction = 8, task_rows = 1, task_channels = 64, pack_filter = false>
// AVX2: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 8, pixels = 2, tail = 0, channels = 32,
// OFF: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 64, reduction = 8, task_rows = 1, task_channels = 64, pack_filter = false>
// A 576 KiB filter does not fit 512 KiB: tasks of 128 channels, the filter
// packed per register block; two such slices are too few tasks to share evenly, so
// each task is one of the 14 rows (28 tasks, run slice by slice). With 4
// MiB it fits: tasks are rows, each split in two blocks of channels.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 7, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 128, pack_filter = true>
// CACHE: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 7, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 128, pack_filter = true>
// 14x14x256: 16 F(4x4) tiles are too few, 49 F(2x2) tiles are enough.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 16, pixels = 7, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 256, pack_filter = false>
// ON: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f4,
// ON: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f4,
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 7, tail = 0, channels = 32, reduction = 8, task_rows = 7, task_channels = 32, pack_filter = true>
// 7x7x512 (batch 1): F(2x2), 16 tiles.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 16, pixels = 4, tail = 0, channels = 64, reduction = 8, task_rows = 1, task_channels = 256, pack_filter = false>
// A grouped convolution (32 groups of 16 channels) is blocked as one
// group's convolution: blocks of the group's 16 channels (one vector) by
// the 7 pixels of a row; 7 rows are too few tasks for even shares, so
// tasks are 8 groups (128 channels) of a row. With AVX2, 7 pixels of one vector
// (8 of the group's channels) hold more accumulators than 6 pixels of two
// with a 1-pixel tail.
// CHECK: cnn.conv2d {{.*}} groups 32 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 7, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 128, pack_filter = false, groups = 32>}
// AVX2: cnn.conv2d {{.*}} groups 32 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, pixels = 7, tail = 0, channels = 8, reduction = 8, task_rows = 1, task_channels = 128, pack_filter = false, groups = 32>}
// A linear layer: its 10 features are one packed block and one task.
// The global average pooling (one output pixel): blocks of 4 vectors of
// channels, one task each (8 tasks of 64 channels; AVX2, 16 of 32).
// CHECK: cnn.global_avg_pool {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 1, tail = 0, channels = 64, reduction = 1, task_rows = 1, task_channels = 64, pack_filter = false>
// AVX2: cnn.global_avg_pool {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, pixels = 1, tail = 0, channels = 32, reduction = 1, task_rows = 1, task_channels = 32, pack_filter = false>
// CHECK: cnn.linear {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 1, tail = 0, channels = 10, reduction = 8, task_rows = 1, task_channels = 10, pack_filter = true>

// STATS: CnnSelectKernels
// STATS-DAG: (S) 3 direct-convolutions
// STATS-DAG: (S) 1 paired-columns-convolutions
// STATS-DAG: (S) 2 winograd-f2x2
// STATS-DAG: (S) 1 winograd-f4x4
// STATS-DAG: (S) 0 overridden-layers

// A kernel config (Inputs/kernel-config.json) sets the fields it names of
// the layers it names; the cost model fills in the rest.
// CONFIG: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = paired_columns,
// CONFIG: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 16, pixels = 4, tail = 0, channels = 64,
// CONFIG: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 14, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 128, pack_filter = true>

func.func @forward(%x: tensor<1x3x224x224xf32>) -> tensor<1x10xf32> {
  %w0 = arith.constant dense<0.01> : tensor<64x3x7x7xf32>
  %0 = cnn.conv2d %x, %w0 strides [2, 2] padding [3, 3, 3, 3] relu : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x112x112xf32> loc("stem")
  %1 = cnn.max_pool2d %0 kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32> loc("pool")
  %w1 = arith.constant dense<0.01> : tensor<64x64x3x3xf32>
  %2 = cnn.conv2d %1, %w1 padding [1, 1, 1, 1] relu : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x56x56xf32> loc("res2")
  %w2 = arith.constant dense<0.01> : tensor<256x64x3x3xf32>
  %3 = cnn.conv2d %2, %w2 strides [4, 4] padding [1, 1, 1, 1] : (tensor<1x64x56x56xf32>, tensor<256x64x3x3xf32>) -> tensor<1x256x14x14xf32> loc("down4")
  %w3 = arith.constant dense<0.01> : tensor<256x256x3x3xf32>
  %4 = cnn.conv2d %3, %w3 padding [1, 1, 1, 1] relu : (tensor<1x256x14x14xf32>, tensor<256x256x3x3xf32>) -> tensor<1x256x14x14xf32> loc("res4")
  %w4 = arith.constant dense<0.01> : tensor<512x256x3x3xf32>
  %5 = cnn.conv2d %4, %w4 strides [2, 2] padding [1, 1, 1, 1] : (tensor<1x256x14x14xf32>, tensor<512x256x3x3xf32>) -> tensor<1x512x7x7xf32> loc("down2")
  %w5 = arith.constant dense<0.01> : tensor<512x512x3x3xf32>
  %6 = cnn.conv2d %5, %w5 padding [1, 1, 1, 1] : (tensor<1x512x7x7xf32>, tensor<512x512x3x3xf32>) -> tensor<1x512x7x7xf32> loc("deep")
  %w6 = arith.constant dense<0.01> : tensor<512x16x3x3xf32>
  %7 = cnn.conv2d %6, %w6 padding [1, 1, 1, 1] groups 32 : (tensor<1x512x7x7xf32>, tensor<512x16x3x3xf32>) -> tensor<1x512x7x7xf32> loc("grouped")
  %8 = cnn.global_avg_pool %7 : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  %9 = cnn.flatten %8 : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  %w7 = arith.constant dense<0.01> : tensor<10x512xf32>
  %10 = cnn.linear %9, %w7 : (tensor<1x512xf32>, tensor<10x512xf32>) -> tensor<1x10xf32> loc("fc")
  return %10 : tensor<1x10xf32>
}
