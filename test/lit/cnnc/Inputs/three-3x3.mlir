// Three stacked 3x3 convolutions over 64 channels: the receptive field of
// one 7x7 with 27C^2 instead of 49C^2 weights (see seven-7x7.mlir).
func.func @three_3x3(%x: tensor<1x64x32x32xf32>) -> tensor<1x64x32x32xf32> {
  %w = arith.constant dense<0.01> : tensor<64x64x3x3xf32>
  %a = cnn.conv2d %x, %w padding [1, 1, 1, 1] relu
      : (tensor<1x64x32x32xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x32x32xf32>
  %b = cnn.conv2d %a, %w padding [1, 1, 1, 1] relu
      : (tensor<1x64x32x32xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x32x32xf32>
  %c = cnn.conv2d %b, %w padding [1, 1, 1, 1] relu
      : (tensor<1x64x32x32xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x32x32xf32>
  return %c : tensor<1x64x32x32xf32>
}
