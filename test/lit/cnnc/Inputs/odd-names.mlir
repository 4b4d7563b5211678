// Layer names as ONNX exporters write them, with quotes, commas, a
// backslash and a tab: the profile's CSV and JSON must escape them.
func.func @forward(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc("/block \"a\", conv\\1")
  %1 = cnn.relu %0 : tensor<1x2x4x4xf32> loc("tab\there")
  return %1 : tensor<1x2x4x4xf32>
}
