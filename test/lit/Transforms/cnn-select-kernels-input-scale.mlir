// RUN: cnn-opt %s -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2

// A convolution with an input scale computes each image's filter at run
// time: no Winograd transform, no paired columns and no compile-time
// packing, whatever the layer would get without it; padding the output
// channels to whole vectors (the constant, before scaling) stays.

// 55x55 from 16 channels is an F(4x4) layer without the scale
// (cnn-select-kernels-winograd.mlir); with it, direct.
// CHECK: cnn.conv2d {{.*}}input_scale({{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, {{.*}}pack_filter = false>
// AVX2: cnn.conv2d {{.*}}input_scale({{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, {{.*}}pack_filter = false>
// The same layer without the scale, for reference.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 16,
// A stride-2 stem with 3 input channels: direct, not paired columns.
// CHECK: cnn.conv2d {{.*}}input_scale({{.*}}cnn.kernel = #cnn.kernel<algorithm = direct,
// A 1x1 projection of 672 -> 112 whose blocks split the output channels:
// not packed; 20 output channels padded to 32 (24 with 8-lane vectors).
// CHECK: cnn.conv2d {{.*}}input_scale({{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, {{.*}}pack_filter = false>
// CHECK: cnn.conv2d {{.*}}input_scale({{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, {{.*}}padded_channels = 32>
// AVX2: cnn.conv2d {{.*}}input_scale({{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, {{.*}}padded_channels = 24>
func.func @forward(%x: tensor<1x16x55x55xf32>, %gx: tensor<1x16x1x1xf32>,
                   %s: tensor<1x3x32x32xf32>, %gs: tensor<1x3x1x1xf32>,
                   %p: tensor<1x672x14x14xf32>, %gp: tensor<1x672x1x1xf32>)
    -> (tensor<1x64x55x55xf32>, tensor<1x64x55x55xf32>, tensor<1x16x16x16xf32>,
        tensor<1x112x14x14xf32>, tensor<1x20x14x14xf32>) {
  %w0 = arith.constant dense<0.01> : tensor<64x16x3x3xf32>
  %0 = cnn.conv2d %x, %w0 padding [1, 1, 1, 1] input_scale(%gx) relu : (tensor<1x16x55x55xf32>, tensor<64x16x3x3xf32>, tensor<1x16x1x1xf32>) -> tensor<1x64x55x55xf32>
  %1 = cnn.conv2d %x, %w0 padding [1, 1, 1, 1] relu : (tensor<1x16x55x55xf32>, tensor<64x16x3x3xf32>) -> tensor<1x64x55x55xf32>
  %w2 = arith.constant dense<0.01> : tensor<16x3x3x3xf32>
  %2 = cnn.conv2d %s, %w2 strides [2, 2] padding [0, 0, 1, 1] input_scale(%gs) : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<1x3x1x1xf32>) -> tensor<1x16x16x16xf32>
  %w3 = arith.constant dense<0.01> : tensor<112x672x1x1xf32>
  %3 = cnn.conv2d %p, %w3 input_scale(%gp) : (tensor<1x672x14x14xf32>, tensor<112x672x1x1xf32>, tensor<1x672x1x1xf32>) -> tensor<1x112x14x14xf32>
  %w4 = arith.constant dense<0.01> : tensor<20x672x1x1xf32>
  %4 = cnn.conv2d %p, %w4 input_scale(%gp) : (tensor<1x672x14x14xf32>, tensor<20x672x1x1xf32>, tensor<1x672x1x1xf32>) -> tensor<1x20x14x14xf32>
  return %0, %1, %2, %3, %4 : tensor<1x64x55x55xf32>, tensor<1x64x55x55xf32>, tensor<1x16x16x16xf32>, tensor<1x112x14x14xf32>, tensor<1x20x14x14xf32>
}
