// One 7x7 convolution over 64 channels (see three-3x3.mlir).
func.func @seven_7x7(%x: tensor<1x64x32x32xf32>) -> tensor<1x64x32x32xf32> {
  %w = arith.constant dense<0.01> : tensor<64x64x7x7xf32>
  %y = cnn.conv2d %x, %w padding [3, 3, 3, 3] relu
      : (tensor<1x64x32x32xf32>, tensor<64x64x7x7xf32>) -> tensor<1x64x32x32xf32>
  return %y : tensor<1x64x32x32xf32>
}
