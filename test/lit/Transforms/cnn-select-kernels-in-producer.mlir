// RUN: cnn-opt %s -split-input-file -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2

// A global average pooling of a depthwise layer's output (squeeze-
// excitation's squeeze) has its sums computed in that layer's register
// blocks: in_producer. The depthwise layer has a second user (the gated
// projection), so it keeps a kernel of its own.
// CHECK-LABEL: func @squeeze
// CHECK: groups 96 activation(<kind = silu>) {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, {{.+}}, pack_filter = false>}
// CHECK: cnn.global_avg_pool %{{.+}} {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, {{.+}}, in_producer = true>}
// AVX2-LABEL: func @squeeze
// AVX2: cnn.global_avg_pool %{{.+}} {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, {{.+}}, in_producer = true>}
func.func @squeeze(%x: tensor<1x96x28x28xf32>) -> (tensor<1x96x1x1xf32>, tensor<1x96x28x28xf32>) {
  %w = arith.constant dense<0.01> : tensor<96x1x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 96 activation(<kind = silu>) : (tensor<1x96x28x28xf32>, tensor<96x1x3x3xf32>) -> tensor<1x96x28x28xf32>
  %1 = cnn.global_avg_pool %0 : tensor<1x96x28x28xf32> -> tensor<1x96x1x1xf32>
  return %1, %0 : tensor<1x96x1x1xf32>, tensor<1x96x28x28xf32>
}

// -----

// Not in the producer: the input of an ungrouped convolution (its tasks
// may split the output channels and its blocks take no extra sum), or of
// the model.
// CHECK-LABEL: func @not_depthwise
// CHECK-NOT: in_producer
func.func @not_depthwise(%x: tensor<1x16x28x28xf32>) -> (tensor<1x32x1x1xf32>, tensor<1x16x1x1xf32>) {
  %w = arith.constant dense<0.01> : tensor<32x16x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x16x28x28xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x28x28xf32>
  %1 = cnn.global_avg_pool %0 : tensor<1x32x28x28xf32> -> tensor<1x32x1x1xf32>
  %2 = cnn.global_avg_pool %x : tensor<1x16x28x28xf32> -> tensor<1x16x1x1xf32>
  return %1, %2 : tensor<1x32x1x1xf32>, tensor<1x16x1x1xf32>
}
