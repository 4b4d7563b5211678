// RUN: cnn-opt %s -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2

// A depthwise convolution (one filter per channel) gets a direct kernel:
// row tasks over all channels, blocks of 1, 2 or 4 vectors of channels (3
// would be split by LLVM into element shuffles) by the pixels whose
// accumulators, input and filter vectors fit the registers. 96 channels
// with AVX-512: blocks of 32 (2 vectors of 16), min(16, 32 - 2 x 2) / 2 =
// 8 pixels, 8 dividing 56. With AVX2, 32 channels (4 vectors of 8), min(12, 16 - 2 x 4) / 4 = 2 pixels.
// CHECK: cnn.conv2d {{.*}} groups 96 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 32, reduction = 1, task_rows = 1, task_channels = 96, pack_filter = false>}
// AVX2: cnn.conv2d {{.*}} groups 96 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, pixels = 2, tail = 0, channels = 32, reduction = 1, task_rows = 1, task_channels = 96, pack_filter = false>}
// A grouped convolution with 24 channels per group is blocked as one
// group's convolution: 24 is no whole number of 1, 2 or 4 vectors, so
// blocks are 8 of the group's channels (half a vector with AVX-512, one
// with AVX2) by 14 pixels (with AVX2, 12 and a tail block of 8: 56 = 4 x
// 12 + 8 pixels, 11.2 accumulators per block, counted at 4/5 for the tail
// (8.96), beat 7 blocks of 8).
// CHECK: cnn.conv2d {{.*}} groups 4 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 14, tail = 0, channels = 8, reduction = 8, task_rows = 1, task_channels = 96, pack_filter = false, groups = 4>}
// AVX2: cnn.conv2d {{.*}} groups 4 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, pixels = 12, tail = 8, channels = 8, reduction = 8, task_rows = 1, task_channels = 96, pack_filter = false, groups = 4>}
// A grouped convolution whose filter is computed gets none: it lowers to
// NCHW loops.
// CHECK: cnn.conv2d {{.*}} groups 4 : (
func.func @forward(%x: tensor<1x96x56x56xf32>) -> (tensor<1x96x56x56xf32>, tensor<1x96x56x56xf32>, tensor<1x96x56x56xf32>) {
  %w = arith.constant dense<0.01> : tensor<96x1x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 96 : (tensor<1x96x56x56xf32>, tensor<96x1x3x3xf32>) -> tensor<1x96x56x56xf32>
  %g = arith.constant dense<0.01> : tensor<96x24x3x3xf32>
  %1 = cnn.conv2d %x, %g padding [1, 1, 1, 1] groups 4 : (tensor<1x96x56x56xf32>, tensor<96x24x3x3xf32>) -> tensor<1x96x56x56xf32>
  %c = cnn.relu %g : tensor<96x24x3x3xf32>
  %2 = cnn.conv2d %x, %c padding [1, 1, 1, 1] groups 4 : (tensor<1x96x56x56xf32>, tensor<96x24x3x3xf32>) -> tensor<1x96x56x56xf32>
  return %0, %1, %2 : tensor<1x96x56x56xf32>, tensor<1x96x56x56xf32>, tensor<1x96x56x56xf32>
}
