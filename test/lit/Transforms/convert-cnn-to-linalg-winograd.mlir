// RUN: cnn-opt %s -split-input-file -convert-cnn-to-linalg | FileCheck %s

// A convolution whose #cnn.kernel says Winograd is built as Winograd by the
// lowering itself, from the cnn op's own epilogue (bias, residual, ReLU):
// nothing later re-discovers it from the IR.

// F(4x4, 3x3): the filter transform is a constant [36, C, F]; the input
// transform writes [36, T, C] (T = 4 tiles of 4x4, one task each, vectors
// of 16 channels), 36 GEMMs contract it with the filter (a generic that
// carries the kernel, whose blocks are the GEMMs'), and the output transform
// adds the bias and applies the ReLU before its one store.
// CHECK-LABEL: func @f4_bias_relu
// CHECK-NOT: linalg.conv_2d
// CHECK: %[[PAD:.+]] = tensor.pad {{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[U:.+]] = arith.constant dense<{{.*}}> : tensor<36x32x32xf32>
// CHECK: %[[V:.+]] = scf.forall (%{{.+}}) in (4) shared_outs(%{{.+}} = %{{.+}}) -> (tensor<36x4x32xf32>)
// CHECK: vector.transfer_read %[[PAD]]{{.*}} : tensor<1x10x10x32xf32>, vector<16xf32>
// CHECK-COUNT-36: vector.transfer_write {{.*}} : vector<16xf32>, tensor<36x1x32xf32>
// CHECK: %[[M:.+]] = linalg.generic {{.*}} ins(%[[V]], %[[U]] : tensor<36x4x32xf32>, tensor<36x32x32xf32>)
// CHECK-SAME: cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 16, pixels = 4, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>
// CHECK: scf.forall (%{{.+}}) in (4) shared_outs(%{{.+}} = %{{.+}}) -> (tensor<1x8x8x32xf32>)
// CHECK: %[[BIAS:.+]] = vector.transfer_read %arg1
// CHECK: %[[SUM:.+]] = arith.addf %{{.+}}, %[[BIAS]] : vector<16xf32>
// CHECK: arith.maximumf %[[SUM]], %{{.+}} : vector<16xf32>
// CHECK-NOT: linalg.generic
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
func.func @f4_bias_relu(%x: tensor<1x32x8x8xf32>, %b: tensor<32xf32>) -> tensor<1x32x8x8xf32> {
  %w = arith.constant dense<0.01> : tensor<32x32x3x3xf32>
  %0 = cnn.conv2d %x, %w bias(%b) padding [1, 1, 1, 1] relu {cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 16, pixels = 4, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} : (tensor<1x32x8x8xf32>, tensor<32x32x3x3xf32>, tensor<32xf32>) -> tensor<1x32x8x8xf32>
  return %0 : tensor<1x32x8x8xf32>
}

// -----

// F(2x2, 3x3) with a residual and AVX2 vectors: a [16, C, F] filter, 16
// tiles of 2x2, 8-channel vectors; the output transform adds the residual
// (NHWC) to each output vector.
// CHECK-LABEL: func @f2_residual
// CHECK: %[[RT:.+]] = linalg.transpose ins(%arg1
// CHECK: arith.constant dense<{{.*}}> : tensor<16x32x32xf32>
// CHECK: scf.forall (%{{.+}}) in (16) shared_outs(%{{.+}} = %{{.+}}) -> (tensor<16x16x32xf32>)
// CHECK: vector.transfer_read {{.*}} vector<8xf32>
// CHECK: linalg.generic {{.*}}cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 8
// CHECK: scf.forall (%{{.+}}) in (16) shared_outs(%{{.+}} = %{{.+}}) -> (tensor<1x8x8x32xf32>)
// CHECK: %[[R:.+]] = vector.transfer_read %[[RT]]
// CHECK: arith.addf %{{.+}}, %[[R]] : vector<8xf32>
// CHECK-NOT: arith.maximumf
func.func @f2_residual(%x: tensor<1x32x8x8xf32>, %r: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %w = arith.constant dense<0.01> : tensor<32x32x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] residual(%r) {cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 8, pixels = 4, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} : (tensor<1x32x8x8xf32>, tensor<32x32x3x3xf32>, tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32>
  return %0 : tensor<1x32x8x8xf32>
}

// -----

// An output that is not a multiple of the tile (6x6 in 4x4 tiles): the
// tiles are computed whole into an aligned 8x8 tensor and the valid part is
// copied into the result.
// CHECK-LABEL: func @unaligned
// CHECK: scf.forall (%{{.+}}) in (4) shared_outs(%{{.+}} = %{{.+}}) -> (tensor<1x8x8x32xf32>)
// CHECK: %[[VALID:.+]] = tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 6, 6, 32] [1, 1, 1, 1] : tensor<1x8x8x32xf32> to tensor<1x6x6x32xf32>
// CHECK: linalg.copy ins(%[[VALID]] : tensor<1x6x6x32xf32>)
func.func @unaligned(%x: tensor<1x32x6x6xf32>) -> tensor<1x32x6x6xf32> {
  %w = arith.constant dense<0.01> : tensor<32x32x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] {cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 16, pixels = 4, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} : (tensor<1x32x6x6xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x6x6xf32>
  return %0 : tensor<1x32x6x6xf32>
}

// -----

// Without a kernel the convolution stays a direct linalg convolution.
// CHECK-LABEL: func @no_kernel
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: cnn.kernel
func.func @no_kernel(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %w = arith.constant dense<0.01> : tensor<32x32x3x3xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x32x8x8xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x8x8xf32>
  return %0 : tensor<1x32x8x8xf32>
}
