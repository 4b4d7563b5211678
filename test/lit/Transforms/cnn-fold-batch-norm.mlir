// RUN: cnn-opt %s -split-input-file -cnn-fold-batch-norm | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-fold-batch-norm -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// Only the batch norms of @fold, @fold_resource, @fold_through_depth_to_space
// and @fold_through_crd fold; the other four stay.
// The products and sums of @fold_scale and @fold_scalar_shift fold, those
// of @scale_not_per_channel and @scale_after_activation stay.
// STATS:      CnnFoldBatchNorm
// STATS-NEXT:   (S) 4 folded-batch-norms - Batch norms folded into convolutions
// STATS-NEXT:   (S) 2 folded-channel-affines - Products and sums with a constant per output channel folded into convolutions

// batch_norm(conv(x, W, b)) -> conv(x, W', b') with
// s = g / sqrt(v + eps) = [2 / sqrt(3 + 1), 1 / sqrt(0 + 1)] = [1, 1],
// W' = W * s, b' = (b - m) * s + beta = [(1 - 2) * 1 + 0.5, (1 - (-1)) * 1 + 0]
// CHECK-LABEL: func @fold
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x4x4xf32>)
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[-5.000000e-01, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.+]] = cnn.conv2d %[[X]], %[[W]] bias(%[[B]]) : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: cnn.batch_norm
// CHECK: return %[[C]]
func.func @fold(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = arith.constant dense<1.0> : tensor<2xf32>
  %g = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %m = arith.constant dense<[2.0, -1.0]> : tensor<2xf32>
  %v = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = cnn.conv2d %x, %w bias(%b) : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.batch_norm %0, %g, %beta, %m, %v epsilon 1.0 : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// The convolution has another user: the norm stays.
// CHECK-LABEL: func @conv_used_twice
// CHECK: cnn.conv2d
// CHECK: cnn.batch_norm
func.func @conv_used_twice(%x: tensor<1x1x4x4xf32>, %c: tensor<1xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %w = arith.constant dense<2.0> : tensor<1x1x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %1 = cnn.batch_norm %0, %c, %c, %c, %c : (tensor<1x1x4x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %0, %1 : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// No convolution before the norm, or one whose ReLU comes first: it stays.
// CHECK-LABEL: func @not_foldable
// CHECK: cnn.batch_norm %{{.+}}, %{{.+}}
// CHECK: cnn.conv2d {{.*}} relu
// CHECK: cnn.batch_norm
func.func @not_foldable(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %c = arith.constant dense<1.0> : tensor<1xf32>
  %w = arith.constant dense<2.0> : tensor<1x1x1x1xf32>
  %0 = cnn.batch_norm %x, %c, %c, %c, %c : (tensor<1x1x4x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  %1 = cnn.conv2d %x, %w relu : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %2 = cnn.batch_norm %1, %c, %c, %c, %c : (tensor<1x1x4x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %0, %2 : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// Statistics that are function arguments are not known at compile time.
// CHECK-LABEL: func @runtime_statistics
// CHECK: cnn.batch_norm
func.func @runtime_statistics(%x: tensor<1x1x4x4xf32>, %c: tensor<1xf32>) -> tensor<1x1x4x4xf32> {
  %w = arith.constant dense<2.0> : tensor<1x1x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %1 = cnn.batch_norm %0, %c, %c, %c, %c : (tensor<1x1x4x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %1 : tensor<1x1x4x4xf32>
}

// -----

// A product with a constant per output channel (ConvNeXt's layer scale)
// scales the filter rows and the bias: W' = [2 * 2, 3 * 0.5],
// b' = [1 * 2, -1 * 0.5]. The residual add after it stays, for
// cnn-fuse-conv-epilogue.
// CHECK-LABEL: func @fold_scale
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x4x4xf32>, %[[R:.+]]: tensor<1x2x4x4xf32>)
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[{{\[}}[4.000000e+00]]], [{{\[}}[1.500000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[2.000000e+00, -5.000000e-01]> : tensor<2xf32>
// CHECK: %[[C:.+]] = cnn.conv2d %[[X]], %[[W]] bias(%[[B]]) : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: cnn.mul
// CHECK: %[[S:.+]] = cnn.add %[[C]], %[[R]]
// CHECK: return %[[S]]
func.func @fold_scale(%x: tensor<1x1x4x4xf32>, %r: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %s = arith.constant dense<[[[[2.0]], [[0.5]]]]> : tensor<1x2x1x1xf32>
  %0 = cnn.conv2d %x, %w bias(%b) : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.mul %s, %0 : (tensor<1x2x1x1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = cnn.add %1, %r : tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// A sum with one constant for every channel becomes the bias of a
// convolution that had none.
// CHECK-LABEL: func @fold_scalar_shift
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<1.250000e+00> : tensor<2xf32>
// CHECK: %[[C:.+]] = cnn.conv2d %{{.+}}, %[[W]] bias(%[[B]])
// CHECK-NOT: cnn.add
// CHECK: return %[[C]]
func.func @fold_scalar_shift(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %t = arith.constant dense<1.25> : tensor<1x1x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.add %0, %t : (tensor<1x2x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// A constant that varies along H and W is not a per-channel scale.
// CHECK-LABEL: func @scale_not_per_channel
// CHECK: cnn.conv2d
// CHECK: cnn.mul
func.func @scale_not_per_channel(%x: tensor<1x1x4x4xf32>, %w: tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %s = arith.constant dense<2.0> : tensor<1x2x4x4xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.mul %0, %s : tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// A convolution that applies ReLU: the scale comes after it, and stays.
// CHECK-LABEL: func @scale_after_activation
// CHECK: cnn.conv2d {{.*}} relu
// CHECK: cnn.mul
func.func @scale_after_activation(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %s = arith.constant dense<[[[[2.0]], [[0.5]]]]> : tensor<1x2x1x1xf32>
  %0 = cnn.conv2d %x, %w relu : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.mul %0, %s : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Weights and statistics as dense_resource blobs fold like dense ones (the
// values of @fold, as little-endian f32 blobs).
// CHECK-LABEL: func @fold_resource
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[-5.000000e-01, 2.000000e+00]> : tensor<2xf32>
// CHECK: cnn.conv2d %{{.+}}, %[[W]] bias(%[[B]])
// CHECK-NOT: cnn.batch_norm
func.func @fold_resource(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense_resource<w> : tensor<2x1x1x1xf32>
  %b = arith.constant dense_resource<b> : tensor<2xf32>
  %g = arith.constant dense_resource<g> : tensor<2xf32>
  %beta = arith.constant dense_resource<beta> : tensor<2xf32>
  %m = arith.constant dense_resource<m> : tensor<2xf32>
  %v = arith.constant dense_resource<v> : tensor<2xf32>
  %0 = cnn.conv2d %x, %w bias(%b) : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.batch_norm %0, %g, %beta, %m, %v epsilon 1.0 : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000004000004040",
      b: "0x040000000000803F0000803F",
      g: "0x04000000000000400000803F",
      beta: "0x040000000000003F00000000",
      m: "0x0400000000000040000080BF",
      v: "0x040000000000404000000000"
    }
  }
#-}

// -----

// A transposed convolution's norm (DCGAN): the batch norm of a
// depth_to_space of a convolution, cropped, folds into the convolution. In
// DCR order output channel c comes from convolution channels k with
// k % 2 = c: s = g / sqrt(v + eps) = [4 / 2, 2 / 2] = [2, 1] repeats
// across the four phases, b' = beta = [1, 0] likewise.
// CHECK-LABEL: func @fold_through_depth_to_space
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[1.000000e+00]]], [{{\[}}[2.000000e+00]]], [{{\[}}[1.000000e+00]]], [{{\[}}[2.000000e+00]]], [{{\[}}[1.000000e+00]]], [{{\[}}[2.000000e+00]]], [{{\[}}[1.000000e+00]]]]> : tensor<8x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[1.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<8xf32>
// CHECK: %[[C:.+]] = cnn.conv2d %arg0, %[[W]] bias(%[[B]])
// CHECK-NEXT: %[[D:.+]] = cnn.depth_to_space %[[C]] block 2 :
// CHECK-NEXT: %[[S:.+]] = cnn.slice %[[D]]
// CHECK-NEXT: return %[[S]]
// The norm of a slice of some channels stays.
// CHECK-LABEL: func @not_through_channel_slice
// CHECK: cnn.slice
// CHECK-NEXT: cnn.batch_norm
func.func @fold_through_depth_to_space(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x6x6xf32> {
  %w = arith.constant dense<1.0> : tensor<8x1x1x1xf32>
  %g = arith.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %m = arith.constant dense<0.0> : tensor<2xf32>
  %v = arith.constant dense<3.0> : tensor<2xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<8x1x1x1xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.depth_to_space %0 block 2 : tensor<1x8x4x4xf32> -> tensor<1x2x8x8xf32>
  %2 = cnn.slice %1 starts [0, 0, 1, 1] sizes [1, 2, 6, 6] steps [1, 1, 1, 1] : tensor<1x2x8x8xf32> -> tensor<1x2x6x6xf32>
  %3 = cnn.batch_norm %2, %g, %beta, %m, %v epsilon 1.0 : (tensor<1x2x6x6xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  return %3 : tensor<1x2x6x6xf32>
}
func.func @not_through_channel_slice(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w = arith.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = arith.constant dense<1.0> : tensor<1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.slice %0 starts [0, 1, 0, 0] sizes [1, 1, 4, 4] steps [1, 1, 1, 1] : tensor<1x2x4x4xf32> -> tensor<1x1x4x4xf32>
  %2 = cnn.batch_norm %1, %c, %c, %c, %c : (tensor<1x1x4x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %2 : tensor<1x1x4x4xf32>
}

// -----

// In CRD order (pixel shuffle, a grouped transposed convolution) output
// channel c comes from convolution channels 4c to 4c + 3.
// CHECK-LABEL: func @fold_through_crd
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[2.000000e+00]]], [{{\[}}[2.000000e+00]]], [{{\[}}[2.000000e+00]]], [{{\[}}[1.000000e+00]]], [{{\[}}[1.000000e+00]]], [{{\[}}[1.000000e+00]]], [{{\[}}[1.000000e+00]]]]> : tensor<8x1x1x1xf32>
// CHECK: %[[C:.+]] = cnn.conv2d %arg0, %[[W]] bias(%{{.+}})
// CHECK-NEXT: cnn.depth_to_space %[[C]] block 2 crd
func.func @fold_through_crd(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x8x8xf32> {
  %w = arith.constant dense<1.0> : tensor<8x1x1x1xf32>
  %g = arith.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %m = arith.constant dense<0.0> : tensor<2xf32>
  %v = arith.constant dense<3.0> : tensor<2xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<8x1x1x1xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.depth_to_space %0 block 2 crd : tensor<1x8x4x4xf32> -> tensor<1x2x8x8xf32>
  %2 = cnn.batch_norm %1, %g, %beta, %m, %v epsilon 1.0 : (tensor<1x2x8x8xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
  return %2 : tensor<1x2x8x8xf32>
}
