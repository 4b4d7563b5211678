// A depthwise layer (conv2d_0) with a squeeze-excitation block over its
// output, whose pooling (global_avg_pool_1) sums its rows in the depthwise
// kernel (in_producer); and a global pooling of a 1x1 layer's output at the
// end (global_avg_pool_5), which cannot.
func.func @forward(%x: tensor<2x32x10x12xf32>) -> tensor<2x16x1x1xf32> {
  %dw = arith.constant dense<0.1> : tensor<32x1x3x3xf32>
  %b = arith.constant dense<0.01> : tensor<32xf32>
  %0 = cnn.conv2d %x, %dw bias(%b) padding [1, 1, 1, 1] groups 32 activation(<kind = silu>) : (tensor<2x32x10x12xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<2x32x10x12xf32>
  %1 = cnn.global_avg_pool %0 : tensor<2x32x10x12xf32> -> tensor<2x32x1x1xf32>
  %w1 = arith.constant dense<0.2> : tensor<8x32x1x1xf32>
  %2 = cnn.conv2d %1, %w1 relu : (tensor<2x32x1x1xf32>, tensor<8x32x1x1xf32>) -> tensor<2x8x1x1xf32>
  %w2 = arith.constant dense<0.3> : tensor<32x8x1x1xf32>
  %3 = cnn.conv2d %2, %w2 activation(<kind = sigmoid>) : (tensor<2x8x1x1xf32>, tensor<32x8x1x1xf32>) -> tensor<2x32x1x1xf32>
  %4 = cnn.mul %0, %3 : (tensor<2x32x10x12xf32>, tensor<2x32x1x1xf32>) -> tensor<2x32x10x12xf32>
  %wp = arith.constant dense<0.05> : tensor<16x32x1x1xf32>
  %5 = cnn.conv2d %4, %wp : (tensor<2x32x10x12xf32>, tensor<16x32x1x1xf32>) -> tensor<2x16x10x12xf32>
  %6 = cnn.global_avg_pool %5 : tensor<2x16x10x12xf32> -> tensor<2x16x1x1xf32>
  return %6 : tensor<2x16x1x1xf32>
}
