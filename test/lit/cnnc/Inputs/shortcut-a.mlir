// A convolution, then the option-A shortcut: subsample by 2, pad channels.
func.func @shortcut(%x: tensor<1x16x32x32xf32>) -> tensor<1x32x16x16xf32> {
  %w = arith.constant dense<0.01> : tensor<16x16x3x3xf32>
  %y = cnn.conv2d %x, %w padding [1, 1, 1, 1]
      : (tensor<1x16x32x32xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x32x32xf32>
  %s = cnn.slice %y starts [0, 0, 0, 0] sizes [1, 16, 16, 16] steps [1, 1, 2, 2]
      : tensor<1x16x32x32xf32> -> tensor<1x16x16x16xf32>
  %p = cnn.pad %s low [0, 8, 0, 0] high [0, 8, 0, 0]
      : tensor<1x16x16x16xf32> -> tensor<1x32x16x16xf32>
  return %p : tensor<1x32x16x16xf32>
}
