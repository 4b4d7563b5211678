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

// mul(x, tanh(softplus(x))) -> mish(x), in either operand order (ONNX
// before opset 18 has no Mish). tanh(softplus(y)) times another x is not.
// CHECK-LABEL: func @mish
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x8x4x4xf32>, %[[Y:[^:]+]]: tensor<1x8x4x4xf32>)
// CHECK-NEXT: %[[A:.+]] = cnn.mish %[[X]] : tensor<1x8x4x4xf32>
// CHECK-NEXT: %[[B:.+]] = cnn.mish %[[X]] : tensor<1x8x4x4xf32>
// CHECK-NEXT: %[[S:.+]] = cnn.softplus %[[Y]]
// CHECK-NEXT: %[[T:.+]] = cnn.tanh %[[S]]
// CHECK-NEXT: %[[C:.+]] = cnn.mul %[[X]], %[[T]]
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]]
func.func @mish(%x: tensor<1x8x4x4xf32>, %y: tensor<1x8x4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %0 = cnn.softplus %x : tensor<1x8x4x4xf32>
  %1 = cnn.tanh %0 : tensor<1x8x4x4xf32>
  %2 = cnn.mul %x, %1 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %3 = cnn.mul %1, %x : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %4 = cnn.softplus %y : tensor<1x8x4x4xf32>
  %5 = cnn.tanh %4 : tensor<1x8x4x4xf32>
  %6 = cnn.mul %x, %5 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2, %3, %6 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
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

// -----

// The exact GELU as torch.onnx exports it: Div by sqrt(2), Erf, Add 1,
// Mul by x, Mul by 0.5 (constants rank-extended by the importer).
// CHECK-LABEL: func @gelu
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x4x8xf32>)
// CHECK-NEXT: %[[G:.+]] = cnn.gelu %[[X]] : tensor<1x4x4x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<1x1x1x1xf32>
  %one = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %half = arith.constant dense<0.5> : tensor<1x1x1x1xf32>
  %0 = cnn.div %x, %sqrt2 : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x8xf32>
  %1 = cnn.erf %0 : tensor<1x4x4x8xf32>
  %2 = cnn.add %1, %one : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x8xf32>
  %3 = cnn.mul %x, %2 : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %4 = cnn.mul %3, %half : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x8xf32>
  return %4 : tensor<1x4x4x8xf32>
}

// -----

// Another constant (the tanh approximation's scale, or any other) is not
// the exact GELU.
// CHECK-LABEL: func @not_gelu
// CHECK-NOT: cnn.gelu
func.func @not_gelu(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %c = arith.constant dense<1.5> : tensor<1x1x1x1xf32>
  %one = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %half = arith.constant dense<0.5> : tensor<1x1x1x1xf32>
  %0 = cnn.div %x, %c : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x8xf32>
  %1 = cnn.erf %0 : tensor<1x4x4x8xf32>
  %2 = cnn.add %1, %one : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x8xf32>
  %3 = cnn.mul %x, %2 : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %4 = cnn.mul %3, %half : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x8xf32>
  return %4 : tensor<1x4x4x8xf32>
}

// -----

// Layer norm over the last axis as exported before opset 17, with its
// scale and bias: one layer_norm with the constants as vectors.
// CHECK-LABEL: func @layer_norm
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x2x4xf32>)
// CHECK-DAG: %[[S:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[5.000000e-01, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<4xf32>
// CHECK: %[[N:.+]] = cnn.layer_norm %[[X]], %[[S]], %[[B]] axis 3 epsilon 9.99999997E-7
// CHECK-NEXT: return %[[N]]
func.func @layer_norm(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %eps = arith.constant dense<9.99999997E-7> : tensor<1x1x1x1xf32>
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0]]]]> : tensor<1x1x1x4xf32>
  %b = arith.constant dense<[[[[0.5, 0.0, 0.0, 0.0]]]]> : tensor<1x1x1x4xf32>
  %m = cnn.reduce_mean %x axes [3] : tensor<1x2x2x4xf32> -> tensor<1x2x2x1xf32>
  %d = cnn.sub %x, %m : (tensor<1x2x2x4xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x4xf32>
  %p = cnn.mul %d, %d : tensor<1x2x2x4xf32>
  %v = cnn.reduce_mean %p axes [3] : tensor<1x2x2x4xf32> -> tensor<1x2x2x1xf32>
  %ve = cnn.add %v, %eps : (tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x1xf32>
  %s = cnn.sqrt %ve : tensor<1x2x2x1xf32>
  %n = cnn.div %d, %s : (tensor<1x2x2x4xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x4xf32>
  %y = cnn.mul %n, %w : (tensor<1x2x2x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x2x4xf32>
  %z = cnn.add %y, %b : (tensor<1x2x2x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x2x4xf32>
  return %z : tensor<1x2x2x4xf32>
}

// -----

// Without a scale and bias the layer norm gets ones and zeros; a variance
// of another value is not a layer norm.
// CHECK-LABEL: func @layer_norm_plain
// CHECK: cnn.layer_norm %{{.+}}, %{{.+}}, %{{.+}} axis 1 epsilon 9.99999974E-6
// CHECK: cnn.div
// CHECK-NOT: cnn.layer_norm
func.func @layer_norm_plain(%x: tensor<1x4x2x2xf32>, %other: tensor<1x4x2x2xf32>) -> (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) {
  %eps = arith.constant dense<9.99999974E-6> : tensor<1x1x1x1xf32>
  %m = cnn.reduce_mean %x axes [1] : tensor<1x4x2x2xf32> -> tensor<1x1x2x2xf32>
  %d = cnn.sub %x, %m : (tensor<1x4x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x4x2x2xf32>
  %p = cnn.mul %d, %d : tensor<1x4x2x2xf32>
  %v = cnn.reduce_mean %p axes [1] : tensor<1x4x2x2xf32> -> tensor<1x1x2x2xf32>
  %ve = cnn.add %v, %eps : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %s = cnn.sqrt %ve : tensor<1x1x2x2xf32>
  %n = cnn.div %d, %s : (tensor<1x4x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x4x2x2xf32>
  %p2 = cnn.mul %other, %other : tensor<1x4x2x2xf32>
  %v2 = cnn.reduce_mean %p2 axes [1] : tensor<1x4x2x2xf32> -> tensor<1x1x2x2xf32>
  %ve2 = cnn.add %v2, %eps : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %s2 = cnn.sqrt %ve2 : tensor<1x1x2x2xf32>
  %n2 = cnn.div %d, %s2 : (tensor<1x4x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %n, %n2 : tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>
}

// -----

// ConvNeXt's GELU between permutes to NHWC and back: the permutes cancel,
// so the GELU applies to the convolution's output itself (and fuses into
// it in cnn-fuse-conv-epilogue). The clip keeps its attributes.
// CHECK-LABEL: func @transposed_activation
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x4x6xf32>)
// CHECK-NEXT: %[[G:.+]] = cnn.gelu %[[X]] : tensor<1x8x4x6xf32>
// CHECK-NEXT: %[[C:.+]] = cnn.clip %[[G]] min 0.000000e+00 max 6.000000e+00 : tensor<1x8x4x6xf32>
// CHECK-NEXT: return %[[C]]
func.func @transposed_activation(%x: tensor<1x8x4x6xf32>) -> tensor<1x8x4x6xf32> {
  %0 = cnn.transpose %x perm [0, 2, 3, 1] : tensor<1x8x4x6xf32> -> tensor<1x4x6x8xf32>
  %1 = cnn.gelu %0 : tensor<1x4x6x8xf32>
  %2 = cnn.transpose %1 perm [0, 3, 1, 2] : tensor<1x4x6x8xf32> -> tensor<1x8x4x6xf32>
  %3 = cnn.transpose %2 perm [0, 2, 3, 1] : tensor<1x8x4x6xf32> -> tensor<1x4x6x8xf32>
  %4 = cnn.clip %3 min 0.0 max 6.0 : tensor<1x4x6x8xf32>
  %5 = cnn.transpose %4 perm [0, 3, 1, 2] : tensor<1x4x6x8xf32> -> tensor<1x8x4x6xf32>
  return %5 : tensor<1x8x4x6xf32>
}

// -----

// Perms that do not cancel, an activation with another user, and an op
// that is not elementwise (softmax) keep their transposes.
// CHECK-LABEL: func @transposes_kept
// CHECK-NEXT: cnn.transpose
// CHECK-NEXT: cnn.relu
// CHECK-NEXT: cnn.transpose
// CHECK-NEXT: cnn.sigmoid
// CHECK-NEXT: cnn.transpose
// CHECK-NEXT: cnn.transpose
// CHECK-NEXT: cnn.softmax
// CHECK-NEXT: cnn.transpose
func.func @transposes_kept(%x: tensor<1x8x4x6xf32>, %y: tensor<1x2x3x4xf32>) -> (tensor<1x8x6x4xf32>, tensor<1x4x6x8xf32>, tensor<1x8x4x6xf32>, tensor<1x2x3x4xf32>) {
  %0 = cnn.transpose %x perm [0, 2, 3, 1] : tensor<1x8x4x6xf32> -> tensor<1x4x6x8xf32>
  %1 = cnn.relu %0 : tensor<1x4x6x8xf32>
  %2 = cnn.transpose %1 perm [0, 3, 2, 1] : tensor<1x4x6x8xf32> -> tensor<1x8x6x4xf32>
  %3 = cnn.sigmoid %0 : tensor<1x4x6x8xf32>
  %4 = cnn.transpose %3 perm [0, 3, 1, 2] : tensor<1x4x6x8xf32> -> tensor<1x8x4x6xf32>
  %5 = cnn.transpose %y perm [0, 2, 3, 1] : tensor<1x2x3x4xf32> -> tensor<1x3x4x2xf32>
  %6 = cnn.softmax %5 : tensor<1x3x4x2xf32>
  %7 = cnn.transpose %6 perm [0, 3, 1, 2] : tensor<1x3x4x2xf32> -> tensor<1x2x3x4xf32>
  return %2, %3, %4, %7 : tensor<1x8x6x4xf32>, tensor<1x4x6x8xf32>, tensor<1x8x4x6xf32>, tensor<1x2x3x4xf32>
}
