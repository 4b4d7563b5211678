// RUN: cnn-opt %s -split-input-file -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2

// A depthwise layer whose one user is an ungrouped 1x1 convolution with
// stride 1 and tasks of whole rows of all its output channels is computed in
// that convolution's tasks: in_consumer. One task's depthwise rows (one row
// of 56 pixels by 96 channels, 21 KiB) fit the 64 KiB task scratch.
// CHECK-LABEL: func @separable
// CHECK: groups 96 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, {{.+}}, in_consumer = true>}
// CHECK: cnn.conv2d {{.+}} {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, {{.+}}, task_rows = 1, task_channels = 32, pack_filter = false>}
// AVX2-LABEL: func @separable
// AVX2: groups 96 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, {{.+}}, in_consumer = true>}
func.func @separable(%x: tensor<1x96x56x56xf32>) -> tensor<1x32x56x56xf32> {
  %w = arith.constant dense<0.01> : tensor<96x1x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 96 : (tensor<1x96x56x56xf32>, tensor<96x1x3x3xf32>) -> tensor<1x96x56x56xf32>
  %p = arith.constant dense<0.01> : tensor<32x96x1x1xf32>
  %1 = cnn.conv2d %0, %p : (tensor<1x96x56x56xf32>, tensor<32x96x1x1xf32>) -> tensor<1x32x56x56xf32>
  return %1 : tensor<1x32x56x56xf32>
}

// -----

// Not in the consumer: an output with two users.
// CHECK-LABEL: func @two_users
// CHECK-NOT: in_consumer
func.func @two_users(%x: tensor<1x96x56x56xf32>) -> (tensor<1x32x56x56xf32>, tensor<1x96x56x56xf32>) {
  %w = arith.constant dense<0.01> : tensor<96x1x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 96 : (tensor<1x96x56x56xf32>, tensor<96x1x3x3xf32>) -> tensor<1x96x56x56xf32>
  %p = arith.constant dense<0.01> : tensor<32x96x1x1xf32>
  %1 = cnn.conv2d %0, %p : (tensor<1x96x56x56xf32>, tensor<32x96x1x1xf32>) -> tensor<1x32x56x56xf32>
  return %1, %0 : tensor<1x32x56x56xf32>, tensor<1x96x56x56xf32>
}

// -----

// Not in the consumer: a strided 1x1 consumer (it reads every other row).
// CHECK-LABEL: func @strided
// CHECK-NOT: in_consumer
func.func @strided(%x: tensor<1x96x56x56xf32>) -> tensor<1x32x28x28xf32> {
  %w = arith.constant dense<0.01> : tensor<96x1x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 96 : (tensor<1x96x56x56xf32>, tensor<96x1x3x3xf32>) -> tensor<1x96x56x56xf32>
  %p = arith.constant dense<0.01> : tensor<32x96x1x1xf32>
  %1 = cnn.conv2d %0, %p strides [2, 2] : (tensor<1x96x56x56xf32>, tensor<32x96x1x1xf32>) -> tensor<1x32x28x28xf32>
  return %1 : tensor<1x32x28x28xf32>
}

// -----

// Not in the consumer: 7 rows of 960 -> 160 channels split the consumer's
// tasks across its output channels (so that two threads get even shares),
// and each task would compute the depthwise rows again.
// CHECK-LABEL: func @split_channels
// CHECK-NOT: in_consumer
func.func @split_channels(%x: tensor<1x960x7x7xf32>) -> tensor<1x160x7x7xf32> {
  %w = arith.constant dense<0.01> : tensor<960x1x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 960 : (tensor<1x960x7x7xf32>, tensor<960x1x3x3xf32>) -> tensor<1x960x7x7xf32>
  %p = arith.constant dense<0.01> : tensor<160x960x1x1xf32>
  %1 = cnn.conv2d %0, %p : (tensor<1x960x7x7xf32>, tensor<160x960x1x1xf32>) -> tensor<1x160x7x7xf32>
  return %1 : tensor<1x160x7x7xf32>
}

// -----

// Not in the consumer: one row of 128 pixels by 256 channels (128 KiB)
// exceeds the task scratch.
// CHECK-LABEL: func @wide_rows
// CHECK-NOT: in_consumer
func.func @wide_rows(%x: tensor<1x256x32x128xf32>) -> tensor<1x64x32x128xf32> {
  %w = arith.constant dense<0.01> : tensor<256x1x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 256 : (tensor<1x256x32x128xf32>, tensor<256x1x3x3xf32>) -> tensor<1x256x32x128xf32>
  %p = arith.constant dense<0.01> : tensor<64x256x1x1xf32>
  %1 = cnn.conv2d %0, %p : (tensor<1x256x32x128xf32>, tensor<64x256x1x1xf32>) -> tensor<1x64x32x128xf32>
  return %1 : tensor<1x64x32x128xf32>
}
