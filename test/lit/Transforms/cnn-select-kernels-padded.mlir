// RUN: cnn-opt %s -split-input-file -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2
// RUN: cnn-opt %s -split-input-file -cnn-select-kernels -convert-cnn-to-linalg | FileCheck %s --check-prefix=LOWER

// Output channels that are not whole vectors (ShuffleNet's 58): the kernel
// computes 64 with zero filters (4 vectors of 16 with AVX-512, 8 of 8 with
// AVX2),
// blocks dividing the padded count.
// The lowering pads the HWCF filter and the bias with zero channels at
// compile time, computes 64 channels and keeps the first 58.
// LOWER-LABEL: func @ragged_channels
// LOWER-DAG: arith.constant dense<{{.*}}> : tensor<1x1x24x64xf32>
// LOWER-DAG: arith.constant dense<{{.*}}> : tensor<64xf32>
// LOWER: linalg.conv_2d_nhwc_hwcf {{.*}} -> tensor<1x8x8x64xf32>
// LOWER: linalg.generic {{.*}}cnn.kernel = #cnn.kernel<{{.*}}padded_channels = 64>
// LOWER: tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 8, 8, 58] [1, 1, 1, 1] : tensor<1x8x8x64xf32> to tensor<1x8x8x58xf32>
// CHECK-LABEL: func @ragged_channels
// CHECK: cnn.conv2d {{.*}}#cnn.kernel<algorithm = direct, vector_width = 16, {{.*}}padded_channels = 64>
// AVX2-LABEL: func @ragged_channels
// AVX2: cnn.conv2d {{.*}}#cnn.kernel<algorithm = direct, vector_width = 8, {{.*}}padded_channels = 64>
func.func @ragged_channels(%x: tensor<1x24x8x8xf32>) -> tensor<1x58x8x8xf32> {
  %w = arith.constant dense<0.5> : tensor<58x24x1x1xf32>
  %b = arith.constant dense<0.25> : tensor<58xf32>
  %0 = cnn.conv2d %x, %w bias(%b) relu : (tensor<1x24x8x8xf32>, tensor<58x24x1x1xf32>, tensor<58xf32>) -> tensor<1x58x8x8xf32>
  return %0 : tensor<1x58x8x8xf32>
}

// -----

// A count of whole vectors is not padded (the field is left out).
// CHECK-LABEL: func @whole_vectors
// CHECK-NOT: padded_channels
// CHECK: return
func.func @whole_vectors(%x: tensor<1x24x8x8xf32>) -> tensor<1x64x8x8xf32> {
  %w = arith.constant dense<0.5> : tensor<64x24x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x24x8x8xf32>, tensor<64x24x1x1xf32>) -> tensor<1x64x8x8xf32>
  return %0 : tensor<1x64x8x8xf32>
}

// LOWER-LABEL: func @whole_vectors
// LOWER-NOT: tensor.extract_slice
// LOWER: return
