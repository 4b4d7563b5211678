// Two depthwise layers: conv2d_0 before a 1x1 layer (conv2d_1), which can
// compute it in its tasks; conv2d_2 before a 3x3 layer, which cannot.
func.func @forward(%x: tensor<2x32x14x12xf32>) -> tensor<2x16x14x12xf32> {
  %dw0 = arith.constant dense<0.1> : tensor<32x1x3x3xf32>
  %b0 = arith.constant dense<0.01> : tensor<32xf32>
  %0 = cnn.conv2d %x, %dw0 bias(%b0) padding [1, 1, 1, 1] groups 32 relu : (tensor<2x32x14x12xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<2x32x14x12xf32>
  %pw1 = arith.constant dense<0.05> : tensor<32x32x1x1xf32>
  %b1 = arith.constant dense<0.02> : tensor<32xf32>
  %1 = cnn.conv2d %0, %pw1 bias(%b1) relu : (tensor<2x32x14x12xf32>, tensor<32x32x1x1xf32>, tensor<32xf32>) -> tensor<2x32x14x12xf32>
  %dw2 = arith.constant dense<0.2> : tensor<32x1x3x3xf32>
  %2 = cnn.conv2d %1, %dw2 padding [1, 1, 1, 1] groups 32 : (tensor<2x32x14x12xf32>, tensor<32x1x3x3xf32>) -> tensor<2x32x14x12xf32>
  %w3 = arith.constant dense<0.03> : tensor<16x32x3x3xf32>
  %3 = cnn.conv2d %2, %w3 padding [1, 1, 1, 1] : (tensor<2x32x14x12xf32>, tensor<16x32x3x3xf32>) -> tensor<2x16x14x12xf32>
  return %3 : tensor<2x16x14x12xf32>
}
