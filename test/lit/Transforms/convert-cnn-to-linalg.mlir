// RUN: cnn-opt %s -split-input-file -convert-cnn-to-linalg="channels-last=false" | FileCheck %s

// A convolution: pad, conv into zeros, then one in-place epilogue applying
// bias, residual and ReLU.
// CHECK-DAG: #[[CHANNEL:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @conv_epilogue
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>, %[[R:.+]]: tensor<1x4x4x5xf32>)
// CHECK: %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 2]
// CHECK: tensor<1x3x8x8xf32> to tensor<1x3x10x11xf32>
// CHECK: %[[ZERO:.+]] = linalg.fill
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[W]] : {{.*}}) outs(%[[ZERO]] :
// CHECK: linalg.generic {indexing_maps = [#[[CHANNEL]], #[[ID]], #[[ID]]], {{.*}}} ins(%[[B]], %[[R]] : {{.*}}) outs(%[[CONV]] :
// CHECK: ^bb0(%[[BIAS:.+]]: f32, %[[RES:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK: %[[S1:.+]] = arith.addf %[[ACC]], %[[BIAS]]
// CHECK: %[[S2:.+]] = arith.addf %[[S1]], %[[RES]]
// CHECK: %[[RELU:.+]] = arith.maximumf %[[S2]]
// CHECK: linalg.yield %[[RELU]]
func.func @conv_epilogue(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>, %r: tensor<1x4x4x5xf32>) -> tensor<1x4x4x5xf32> {
  %0 = cnn.conv2d %x, %w bias(%b) strides [2, 2] padding [1, 1, 1, 2] residual(%r) relu : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<1x4x4x5xf32>) -> tensor<1x4x4x5xf32>
  return %0 : tensor<1x4x4x5xf32>
}

// -----

// Groups split the channel dimensions; no epilogue, no generic.
// CHECK-LABEL: func @grouped
// CHECK: %[[IN:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6]
// CHECK: %[[FILTER:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 4, 2, 3, 3]
// CHECK: %[[CONV:.+]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[IN]], %[[FILTER]] :
// CHECK: %[[OUT:.+]] = tensor.collapse_shape %[[CONV]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x4x4x4xf32> into tensor<1x8x4x4xf32>
// CHECK-NOT: linalg.generic
// CHECK: return %[[OUT]]
func.func @grouped(%x: tensor<1x4x6x6xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.conv2d %x, %w groups 2 : (tensor<1x4x6x6xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Max pooling pads with -inf, including the extra row/column of ceil_mode.
// CHECK-LABEL: func @max_pool_ceil
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEGINF]]
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: tensor<1x2x6x6xf32>, tensor<2x2xf32>
func.func @max_pool_ceil(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = cnn.max_pool2d %x kernel [2, 2] strides [2, 2] ceil_mode : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Average pooling divides by compile-time window sizes: padding excluded...
// CHECK-LABEL: func @avg_pool_exclude_pad
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum
// CHECK: %[[DIV:.+]] = arith.constant dense<{{\[}}[4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[DIV]] : tensor<3x3xf32>) outs(%[[SUM]] :
// CHECK: arith.divf
func.func @avg_pool_exclude_pad(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = cnn.avg_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// ...or included, but never the positions that only ceil_mode adds.
// CHECK-LABEL: func @avg_pool_include_pad_ceil
// CHECK: arith.constant dense<{{\[}}[4.000000e+00, 2.000000e+00], [2.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
func.func @avg_pool_include_pad_ceil(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
  %0 = cnn.avg_pool2d %x kernel [2, 2] strides [2, 2] ceil_mode count_include_pad : tensor<1x1x3x3xf32> -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// A fully connected layer is a matmul against the transposed weight.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @linear
// CHECK: %[[MM:.+]] = linalg.matmul indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]]
// CHECK: linalg.generic {{.*}} outs(%[[MM]] :
// CHECK: arith.addf
// CHECK-NOT: arith.maximumf
func.func @linear(%x: tensor<2x8xf32>, %w: tensor<10x8xf32>, %b: tensor<10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.linear %x, %w bias(%b) : (tensor<2x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// CHECK-LABEL: func @flatten
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<2x8x1x1xf32> into tensor<2x8xf32>
// CHECK: %[[ALL:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2, 3]] : tensor<2x8x1x1xf32> into tensor<16xf32>
// CHECK: tensor.expand_shape %[[ALL]] {{\[}}[0, 1]] output_shape [1, 16]
func.func @flatten(%x: tensor<2x8x1x1xf32>) -> (tensor<2x8xf32>, tensor<1x16xf32>) {
  %0 = cnn.flatten %x : tensor<2x8x1x1xf32> -> tensor<2x8xf32>
  %1 = cnn.flatten %x axis 0 : tensor<2x8x1x1xf32> -> tensor<1x16xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<1x16xf32>
}

// -----

// Softmax: max, exp(x - max), sum, divide.
// CHECK-LABEL: func @softmax
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: linalg.generic
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.softmax %x : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Log-softmax: the sum of exp(x - max) as for softmax, then x - max minus
// the log of the sum; no division, no log of a rounded-to-zero quotient.
// CHECK-LABEL: func @log_softmax
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.subf
// CHECK: linalg.generic
// CHECK: %[[LOG:.+]] = math.log
// CHECK-NEXT: arith.subf %{{.+}}, %[[LOG]]
// CHECK-NOT: arith.divf
func.func @log_softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.softmax %x axis 1 log : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Batch norm, relu and add become elementwise generics.
// CHECK-LABEL: func @elementwise
// CHECK: linalg.generic
// CHECK: math.sqrt
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK-NOT: cnn.
func.func @elementwise(%x: tensor<1x4x2x2xf32>, %c: tensor<4xf32>) -> tensor<1x4x2x2xf32> {
  %0 = cnn.batch_norm %x, %c, %c, %c, %c : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  %1 = cnn.relu %0 : tensor<1x4x2x2xf32>
  %2 = cnn.add %1, %x : tensor<1x4x2x2xf32>
  return %2 : tensor<1x4x2x2xf32>
}

// -----

// A depth-to-space in NCHW: the channels split into (i, j, c) (DCR) or
// (c, i, j) (CRD), permuted to [N, c, H, i, W, j], merged.
// CHECK-LABEL: func @depth_to_space
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0], [1, 2, 3], [4], [5]] output_shape [1, 2, 2, 2, 3, 5]
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 4, 1, 5, 2]
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0], [1], [2, 3], [4, 5]] : tensor<1x2x3x2x5x2xf32> into tensor<1x2x6x10xf32>
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0], [1, 2, 3], [4], [5]] output_shape [1, 2, 2, 2, 3, 5]
// CHECK: linalg.transpose {{.*}} permutation = [0, 1, 4, 2, 5, 3]
// CHECK: tensor.collapse_shape
func.func @depth_to_space(%x: tensor<1x8x3x5xf32>) -> (tensor<1x2x6x10xf32>, tensor<1x2x6x10xf32>) {
  %0 = cnn.depth_to_space %x block 2 : tensor<1x8x3x5xf32> -> tensor<1x2x6x10xf32>
  %1 = cnn.depth_to_space %x block 2 crd : tensor<1x8x3x5xf32> -> tensor<1x2x6x10xf32>
  return %0, %1 : tensor<1x2x6x10xf32>, tensor<1x2x6x10xf32>
}

// -----

// Channels first, an input scale is the product it stands for, before the
// convolution.
// CHECK-DAG: #[[MAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[GATE:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-LABEL: func @input_scale
// CHECK-SAME: (%[[X:.+]]: tensor<2x4x3x5xf32>, %[[G:.+]]: tensor<2x4x1x1xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[MAP]], #[[GATE]], #[[MAP]]], {{.+}}} ins(%[[X]], %[[G]] :
// CHECK: arith.mulf
// CHECK: linalg.conv_2d_nchw_fchw {{.+}} ins(%[[Y]], %{{.+}} : tensor<2x4x3x5xf32>, tensor<16x4x1x1xf32>)
func.func @input_scale(%x: tensor<2x4x3x5xf32>, %g: tensor<2x4x1x1xf32>) -> tensor<2x16x3x5xf32> {
  %w = arith.constant dense<1.0> : tensor<16x4x1x1xf32>
  %0 = cnn.conv2d %x, %w input_scale(%g) : (tensor<2x4x3x5xf32>, tensor<16x4x1x1xf32>, tensor<2x4x1x1xf32>) -> tensor<2x16x3x5xf32>
  return %0 : tensor<2x16x3x5xf32>
}
