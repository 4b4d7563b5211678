// RUN: cnn-opt %s -split-input-file -cnn-winograd-convolutions="mode=on" | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-winograd-convolutions | FileCheck %s --check-prefix=AUTO
// RUN: cnn-opt %s -split-input-file -cnn-winograd-convolutions -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// The cost model picks F(4x4) for @many_tiles, F(2x2) for two others.
// STATS:      CnnWinogradConvolutions
// STATS-NEXT:   (S) 1 winograd-f4x4 - Convolutions rewritten as Winograd F(4x4,3x3)
// STATS-NEXT:   (S) 2 winograd-f2x2 - Convolutions rewritten as Winograd F(2x2,3x3)

// A 3x3 stride-1 convolution with bias and ReLU: the filter transform is a
// constant [36, C, F]; the input transform writes [36, T, C] (T = 4 tiles of
// 4x4, one task each), 36 GEMMs contract it with the filter, and the output transform adds
// the bias and applies the ReLU before writing the ReLU's destination.
// CHECK-LABEL: func @conv_bias_relu
// CHECK-NOT: linalg.conv_2d
// CHECK: %[[U:.+]] = arith.constant dense<{{.*}}> : tensor<36x32x32xf32>
// CHECK: %[[V:.+]] = scf.forall (%{{.+}}) in (4) shared_outs(%{{.+}} = %{{.+}}) -> (tensor<36x4x32xf32>)
// CHECK: vector.transfer_read %arg0{{.*}} : tensor<1x10x10x32xf32>, vector<16xf32>
// CHECK-COUNT-36: vector.transfer_write {{.*}} : vector<16xf32>, tensor<36x1x32xf32>
// CHECK: %[[M:.+]] = linalg.generic {{.*}} ins(%[[V]], %[[U]] : tensor<36x4x32xf32>, tensor<36x32x32xf32>)
// CHECK-SAME: cnn.winograd_gemm
// CHECK: scf.forall (%{{.+}}) in (4) shared_outs(%{{.+}} = %[[DEST:.+]]) -> (tensor<1x8x8x32xf32>)
// CHECK: %[[BIAS:.+]] = vector.transfer_read %arg1
// CHECK: %[[SUM:.+]] = arith.addf %{{.+}}, %[[BIAS]] : vector<16xf32>
// CHECK: arith.maximumf %[[SUM]], %{{.+}} : vector<16xf32>
// CHECK-NOT: linalg.generic
// With 4 F(4x4) tiles the cost model takes F(2x2) (16 tiles): a [16, C, F]
// filter, 16 GEMMs.
// AUTO-LABEL: func @conv_bias_relu
// AUTO-NOT: linalg.conv_2d
// AUTO: arith.constant dense<{{.*}}> : tensor<16x32x32xf32>
// AUTO: scf.forall (%{{.+}}) in (16) shared_outs(%{{.+}} = %{{.+}}) -> (tensor<16x16x32xf32>)
// AUTO: cnn.winograd_gemm
func.func @conv_bias_relu(%x: tensor<1x10x10x32xf32>, %b: tensor<32xf32>) -> tensor<1x8x8x32xf32> {
  %w = arith.constant dense<0.01> : tensor<3x3x32x32xf32>
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x8x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x10x10x32xf32>, tensor<3x3x32x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %e2 = tensor.empty() : tensor<1x8x8x32xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x8x8x32xf32>) outs(%e2 : tensor<1x8x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x32xf32>
  return %1 : tensor<1x8x8x32xf32>
}

// -----

// Stride 2 is not a Winograd case; neither is a runtime filter.
// CHECK-LABEL: func @not_eligible
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-NOT: cnn.winograd_gemm
func.func @not_eligible(%x: tensor<1x17x17x32xf32>, %y: tensor<1x10x10x32xf32>, %wr: tensor<3x3x32x32xf32>, %i1: tensor<1x8x8x32xf32>) -> (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>) {
  %w = arith.constant dense<0.01> : tensor<3x3x32x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x17x17x32xf32>, tensor<3x3x32x32xf32>) outs(%i1 : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%y, %wr : tensor<1x10x10x32xf32>, tensor<3x3x32x32xf32>) outs(%i1 : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %0, %1 : tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>
}

// -----

// The cost model keeps few-channel layers direct (auto); `on` takes them.
// AUTO-LABEL: func @few_channels
// AUTO: linalg.conv_2d_nhwc_hwcf
// CHECK-LABEL: func @few_channels
// CHECK: cnn.winograd_gemm
func.func @few_channels(%x: tensor<1x10x10x16xf32>, %i: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %w = arith.constant dense<0.01> : tensor<3x3x16x16xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x10x10x16xf32>, tensor<3x3x16x16xf32>) outs(%i : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %0 : tensor<1x8x8x16xf32>
}

// -----

// 16x16 outputs of 32 channels: 16 F(4x4) tiles are too few for its
// larger filter, so F(2x2) with 64 tiles. Without a recognized init, the
// output transform adds the convolution's init tensor.
// AUTO-LABEL: func @sixteen_tiles
// AUTO-NOT: linalg.conv_2d
// AUTO: tensor<16x32x32xf32>
// AUTO: cnn.winograd_gemm
// AUTO: scf.forall (%{{.+}}) in (64) shared_outs(%{{.+}} = %arg1)
// AUTO: vector.transfer_read %arg1

func.func @sixteen_tiles(%x: tensor<1x18x18x32xf32>, %i: tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32> {
  %w = arith.constant dense<0.01> : tensor<3x3x32x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x18x18x32xf32>, tensor<3x3x32x32xf32>) outs(%i : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  return %0 : tensor<1x16x16x32xf32>
}

// -----

// 32x32 outputs: 64 F(4x4) tiles, F(4x4).
// AUTO-LABEL: func @many_tiles
// AUTO: tensor<36x32x32xf32>
// AUTO: scf.forall (%{{.+}}) in (64) shared_outs(%{{.+}} = %arg1)
func.func @many_tiles(%x: tensor<1x34x34x32xf32>, %i: tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32> {
  %w = arith.constant dense<0.01> : tensor<3x3x32x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x34x34x32xf32>, tensor<3x3x32x32xf32>) outs(%i : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  return %0 : tensor<1x32x32x32xf32>
}
