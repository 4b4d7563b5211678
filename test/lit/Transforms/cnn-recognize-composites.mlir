// RUN: cnn-opt %s -split-input-file -cnn-recognize-composites | FileCheck %s

// mul(x, sigmoid(x)) -> silu(x), in either operand order.
// CHECK-LABEL: func @silu
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x4x4xf32>)
// CHECK-NEXT: %[[A:.+]] = cnn.silu %[[X]] : tensor<1x8x4x4xf32>
// CHECK-NEXT: %[[B:.+]] = cnn.silu %[[X]] : tensor<1x8x4x4xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @silu(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %0 = cnn.sigmoid %x : tensor<1x8x4x4xf32>
  %1 = cnn.mul %x, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %2 = cnn.mul %0, %x : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1, %2 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// -----

// A gate of another value (squeeze-excitation's scale) is not a SiLU.
// CHECK-LABEL: func @gated_scale
// CHECK: cnn.sigmoid
// CHECK: cnn.mul
// CHECK-NOT: cnn.silu
func.func @gated_scale(%x: tensor<1x8x4x4xf32>, %s: tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.sigmoid %s : tensor<1x8x1x1xf32>
  %1 = cnn.mul %x, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// mul(x, hard_sigmoid(x) alpha 1/6 beta 1/2) -> hard_swish(x); ONNX's
// default hard sigmoid (alpha 0.2) is not PyTorch's hard swish gate.
// CHECK-LABEL: func @hard_swish
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x4x4xf32>)
// CHECK-NEXT: %[[H:.+]] = cnn.hard_swish %[[X]] : tensor<1x8x4x4xf32>
// CHECK-NEXT: %[[G:.+]] = cnn.hard_sigmoid %[[X]] alpha 2.000000e-01
// CHECK-NEXT: %[[M:.+]] = cnn.mul %[[X]], %[[G]]
// CHECK-NEXT: return %[[H]], %[[M]]
func.func @hard_swish(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %0 = cnn.hard_sigmoid %x alpha 0.166666672 beta 0.5 : tensor<1x8x4x4xf32>
  %1 = cnn.mul %x, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %2 = cnn.hard_sigmoid %x alpha 0.2 beta 0.5 : tensor<1x8x4x4xf32>
  %3 = cnn.mul %x, %2 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1, %3 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// -----

// ShuffleNet's channel shuffle as exported: reshape to groups, swap the
// group dimensions, reshape back.
// CHECK-LABEL: func @channel_shuffle
// CHECK-SAME: (%[[X:.+]]: tensor<2x6x4x5xf32>)
// CHECK-NEXT: %[[S:.+]] = cnn.channel_shuffle %[[X]] groups 3 : tensor<2x6x4x5xf32>
// CHECK-NEXT: return %[[S]]
func.func @channel_shuffle(%x: tensor<2x6x4x5xf32>) -> tensor<2x6x4x5xf32> {
  %0 = cnn.reshape %x : tensor<2x6x4x5xf32> -> tensor<2x3x2x4x5xf32>
  %1 = cnn.transpose %0 perm [0, 2, 1, 3, 4] : tensor<2x3x2x4x5xf32> -> tensor<2x2x3x4x5xf32>
  %2 = cnn.reshape %1 : tensor<2x2x3x4x5xf32> -> tensor<2x6x4x5xf32>
  return %2 : tensor<2x6x4x5xf32>
}

// -----

// Another permutation, or a reshape that does not split the channels, is
// not a shuffle and stays as it is.
// CHECK-LABEL: func @not_a_shuffle
// CHECK-NOT: cnn.channel_shuffle
// CHECK: cnn.transpose %{{.+}} perm [0, 1, 2, 4, 3]
// CHECK: cnn.transpose %{{.+}} perm [0, 2, 1, 3, 4]
// CHECK-NOT: cnn.channel_shuffle
func.func @not_a_shuffle(%x: tensor<1x6x4x4xf32>) -> (tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>) {
  %0 = cnn.reshape %x : tensor<1x6x4x4xf32> -> tensor<1x2x3x4x4xf32>
  %1 = cnn.transpose %0 perm [0, 1, 2, 4, 3] : tensor<1x2x3x4x4xf32> -> tensor<1x2x3x4x4xf32>
  %2 = cnn.reshape %1 : tensor<1x2x3x4x4xf32> -> tensor<1x6x4x4xf32>
  %3 = cnn.reshape %x : tensor<1x6x4x4xf32> -> tensor<1x6x2x2x4xf32>
  %4 = cnn.transpose %3 perm [0, 2, 1, 3, 4] : tensor<1x6x2x2x4xf32> -> tensor<1x2x6x2x4xf32>
  %5 = cnn.reshape %4 : tensor<1x2x6x2x4xf32> -> tensor<1x6x4x4xf32>
  return %2, %5 : tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>
}
