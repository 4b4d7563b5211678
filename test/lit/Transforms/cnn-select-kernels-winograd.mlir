// RUN: cnn-opt %s -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2

// Which 3x3 stride-1 layers run as Winograd: the channel counts must be
// whole vectors (16 lanes; AVX2 8), then F(4x4) takes layers with at least
// 32 of its tiles and F(2x2) those with at least 16 of its own. The input
// channel count does not matter beyond that: 16 input channels are enough.

// 55x55 from 16 channels (SqueezeNet's fire modules): 14 x 14 = 196 F(4x4)
// tiles.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 16,
// AVX2: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 8,
// 13x13: 16 F(4x4) tiles are too few, 7 x 7 = 49 F(2x2) tiles are enough.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 16,
// AVX2: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 8,
// 24 input channels: not whole 16-lane vectors, so direct with AVX-512;
// three 8-lane vectors with AVX2, so Winograd there.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16,
// AVX2: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 8,
// 6x6: 4 F(4x4) and 9 F(2x2) tiles: direct.
// CHECK: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16,
// AVX2: cnn.conv2d {{.*}}cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8,
func.func @forward(%x: tensor<1x16x55x55xf32>, %y: tensor<1x64x13x13xf32>,
                   %z: tensor<1x24x28x28xf32>, %t: tensor<1x64x6x6xf32>)
    -> (tensor<1x64x55x55xf32>, tensor<1x256x13x13xf32>,
        tensor<1x64x28x28xf32>, tensor<1x64x6x6xf32>) {
  %w0 = arith.constant dense<0.01> : tensor<64x16x3x3xf32>
  %0 = cnn.conv2d %x, %w0 padding [1, 1, 1, 1] relu : (tensor<1x16x55x55xf32>, tensor<64x16x3x3xf32>) -> tensor<1x64x55x55xf32>
  %w1 = arith.constant dense<0.01> : tensor<256x64x3x3xf32>
  %1 = cnn.conv2d %y, %w1 padding [1, 1, 1, 1] relu : (tensor<1x64x13x13xf32>, tensor<256x64x3x3xf32>) -> tensor<1x256x13x13xf32>
  %w2 = arith.constant dense<0.01> : tensor<64x24x3x3xf32>
  %2 = cnn.conv2d %z, %w2 padding [1, 1, 1, 1] relu : (tensor<1x24x28x28xf32>, tensor<64x24x3x3xf32>) -> tensor<1x64x28x28xf32>
  %w3 = arith.constant dense<0.01> : tensor<64x64x3x3xf32>
  %3 = cnn.conv2d %t, %w3 padding [1, 1, 1, 1] relu : (tensor<1x64x6x6xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x6x6xf32>
  return %0, %1, %2, %3 : tensor<1x64x55x55xf32>, tensor<1x256x13x13xf32>, tensor<1x64x28x28xf32>, tensor<1x64x6x6xf32>
}
