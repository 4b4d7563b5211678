// RUN: cnn-opt %s -split-input-file -cnn-fuse-squeeze-excitation | FileCheck %s

// An EfficientNet block's end: the gate (sigmoid of the excitation) times
// the depthwise map, into the 1x1 projection with a residual. The product
// goes; the projection reads the map with the gate as its input scale.
// CHECK-LABEL: func @squeeze_excitation
// CHECK-SAME: (%[[X:.+]]: tensor<2x8x5x5xf32>, %[[R:.+]]: tensor<2x4x5x5xf32>
// CHECK: %[[G:.+]] = cnn.conv2d %{{.+}}, %{{.+}} activation(<kind = sigmoid>)
// CHECK-NOT: cnn.mul
// CHECK: %[[P:.+]] = cnn.conv2d %[[X]], %{{.+}} residual(%[[R]]) input_scale(%[[G]]) : (tensor<2x8x5x5xf32>, tensor<4x8x1x1xf32>, tensor<2x4x5x5xf32>, tensor<2x8x1x1xf32>) -> tensor<2x4x5x5xf32>
// CHECK-NEXT: return %[[P]]
func.func @squeeze_excitation(%x: tensor<2x8x5x5xf32>, %r: tensor<2x4x5x5xf32>, %w1: tensor<2x8x1x1xf32>, %w2: tensor<8x2x1x1xf32>, %wp: tensor<4x8x1x1xf32>) -> tensor<2x4x5x5xf32> {
  %pool = cnn.global_avg_pool %x : tensor<2x8x5x5xf32> -> tensor<2x8x1x1xf32>
  %s = cnn.conv2d %pool, %w1 relu : (tensor<2x8x1x1xf32>, tensor<2x8x1x1xf32>) -> tensor<2x2x1x1xf32>
  %g = cnn.conv2d %s, %w2 activation(<kind = sigmoid>) : (tensor<2x2x1x1xf32>, tensor<8x2x1x1xf32>) -> tensor<2x8x1x1xf32>
  %y = cnn.mul %x, %g : (tensor<2x8x5x5xf32>, tensor<2x8x1x1xf32>) -> tensor<2x8x5x5xf32>
  %p = cnn.conv2d %y, %wp residual(%r) : (tensor<2x8x5x5xf32>, tensor<4x8x1x1xf32>, tensor<2x4x5x5xf32>) -> tensor<2x4x5x5xf32>
  return %p : tensor<2x4x5x5xf32>
}

// -----

// The gate first, and a padded, strided 3x3 convolution: any ungrouped
// convolution takes an input scale (padding stays zero).
// CHECK-LABEL: func @gate_first
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x6x6xf32>, %[[G:.+]]: tensor<1x4x1x1xf32>
// CHECK: cnn.conv2d %[[X]], %{{.+}} strides [2, 2] padding [1, 1, 1, 1] input_scale(%[[G]]) relu
func.func @gate_first(%x: tensor<1x4x6x6xf32>, %g: tensor<1x4x1x1xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %y = cnn.mul %g, %x : (tensor<1x4x1x1xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %z = cnn.conv2d %y, %w strides [2, 2] padding [1, 1, 1, 1] relu : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %z : tensor<1x8x3x3xf32>
}

// -----

// A 2x2 map into 8 outputs: scaling the 4 x 8 filter would cost more than
// the 4 x 2 x 2 map, so the product stays.
// CHECK-LABEL: func @small_map
// CHECK: cnn.mul
// CHECK-NOT: input_scale
func.func @small_map(%x: tensor<1x4x2x2xf32>, %g: tensor<1x4x1x1xf32>, %w: tensor<8x4x1x1xf32>) -> tensor<1x8x2x2xf32> {
  %y = cnn.mul %x, %g : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %z = cnn.conv2d %y, %w : (tensor<1x4x2x2xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x2x2xf32>
  return %z : tensor<1x8x2x2xf32>
}

// -----

// What stays a product: a gated map with another user, a grouped
// (depthwise) consumer, the product as a residual rather than the input, a
// factor shared by all images, a product of two maps.
// CHECK-LABEL: func @not_fused
// CHECK-COUNT-5: cnn.mul
// CHECK-NOT: input_scale
func.func @not_fused(%x: tensor<2x4x6x6xf32>, %g: tensor<2x4x1x1xf32>, %c: tensor<1x4x1x1xf32>, %w: tensor<4x4x1x1xf32>, %dw: tensor<4x1x3x3xf32>) -> (tensor<2x4x6x6xf32>, tensor<2x4x6x6xf32>, tensor<2x4x4x4xf32>, tensor<2x4x6x6xf32>, tensor<2x4x6x6xf32>, tensor<2x4x6x6xf32>) {
  %shared = cnn.mul %x, %g : (tensor<2x4x6x6xf32>, tensor<2x4x1x1xf32>) -> tensor<2x4x6x6xf32>
  %a = cnn.conv2d %shared, %w : (tensor<2x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<2x4x6x6xf32>
  %y = cnn.mul %x, %g : (tensor<2x4x6x6xf32>, tensor<2x4x1x1xf32>) -> tensor<2x4x6x6xf32>
  %b = cnn.conv2d %y, %dw groups 4 : (tensor<2x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x4x4xf32>
  %r = cnn.mul %x, %g : (tensor<2x4x6x6xf32>, tensor<2x4x1x1xf32>) -> tensor<2x4x6x6xf32>
  %c1 = cnn.conv2d %x, %w residual(%r) : (tensor<2x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<2x4x6x6xf32>) -> tensor<2x4x6x6xf32>
  %s = cnn.mul %x, %c : (tensor<2x4x6x6xf32>, tensor<1x4x1x1xf32>) -> tensor<2x4x6x6xf32>
  %d = cnn.conv2d %s, %w : (tensor<2x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<2x4x6x6xf32>
  %m = cnn.mul %x, %x : tensor<2x4x6x6xf32>
  %e = cnn.conv2d %m, %w : (tensor<2x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<2x4x6x6xf32>
  return %shared, %a, %b, %c1, %d, %e : tensor<2x4x6x6xf32>, tensor<2x4x6x6xf32>, tensor<2x4x4x4xf32>, tensor<2x4x6x6xf32>, tensor<2x4x6x6xf32>, tensor<2x4x6x6xf32>
}
