// RUN: cnn-opt %s -split-input-file -cnn-tile-convolutions | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-tile-convolutions="vector-width=8 register-budget=12" | FileCheck %s --check-prefix=AVX2

// Output 8x8x32, 16 input channels: the register block is 8 pixels x 32
// channels (2 vectors of 16: 16 accumulators); the filter (18 KiB) fits in
// cache, so each parallel task is one output row. The accumulator is read
// before the reduction loops (kh, kw, input-channel blocks of 8), carried
// through them as a vector, and written once after them.
// CHECK-LABEL: func @conv3x3
// CHECK: scf.forall (%[[ROW:.+]]) in (8) shared_outs(%[[OUT:.+]] = %{{.+}})
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[OUT]][0, %[[ROW]], 0, 0] [1, 1, 8, 32]
// CHECK: %[[ACC0:.+]] = vector.transfer_read %[[OUT]][%c0, %[[ROW]], %c0, %c0]{{.*}} vector<8x32xf32>
// CHECK: scf.for %[[KH:.+]] = %c0 to %c3 step %c1 iter_args(%{{.+}} = %[[ACC0]]) -> (vector<8x32xf32>)
// CHECK: scf.for %[[KW:.+]] = %c0 to %c3 step %c1 iter_args(
// CHECK: scf.for %[[IC:.+]] = %c0 to %c16 step %c8 iter_args(%[[ACC:.+]] = %{{.+}}) -> (vector<8x32xf32>)
// CHECK: %[[IN:.+]] = vector.transfer_read %{{.+}}[%c0, %{{.+}}, %[[KW]], %[[IC]]]{{.*}} vector<8x8xf32>
// CHECK: %[[W:.+]] = vector.transfer_read %{{.+}}[%[[KH]], %[[KW]], %[[IC]], %c0]{{.*}} vector<8x32xf32>
// CHECK: vector.contract {{.*}} %[[IN]], %[[W]], %[[ACC]] : vector<8x8xf32>, vector<8x32xf32> into vector<8x32xf32>
// CHECK: vector.transfer_write %{{.+}}, %[[TILE]]
// CHECK-NOT: scf.for %
// CHECK: tensor.parallel_insert_slice
// AVX2-LABEL: func @conv3x3
// AVX2: scf.forall
// 8-wide vectors and 12 registers: 32 channels (4 vectors) x 2 pixels.
// AVX2: scf.for %{{.+}} = %c0 to %c8 step %c2
// AVX2: vector.contract {{.*}} into vector<2x32xf32>
// AVX2-LABEL: func @deep_strided
func.func @conv3x3(%x: tensor<1x10x10x16xf32>, %w: tensor<3x3x16x32xf32>, %init: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x10x10x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

// -----

// A 3x3x512x512 filter (9 MiB) does not stay in cache: each task is one
// block of 32 output channels over all rows. 7 output pixels (7 divides the
// width, 8 does not) x 32 channels; with stride 2 each pixel gets its own
// contraction, as every other input pixel is read.
// CHECK-LABEL: func @deep_strided
// CHECK: scf.forall (%{{.+}}) = (0) to (512) step (32)
// CHECK: scf.for %{{.+}} = %c0 to %c7 step %c1
// CHECK: vector.transfer_read {{.*}} vector<7x32xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c512 step %c8
// CHECK-COUNT-7: vector.contract {{.*}} : vector<8xf32>, vector<8x32xf32> into vector<32xf32>
func.func @deep_strided(%x: tensor<1x15x15x512xf32>, %w: tensor<3x3x512x512xf32>, %init: tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x15x15x512xf32>, tensor<3x3x512x512xf32>) outs(%init : tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32>
  return %0 : tensor<1x7x7x512xf32>
}

// -----

// The bias broadcast becomes the accumulators' initial value and the ReLU
// applies to them in registers: one store per register block, and neither
// the bias tensor nor the convolution's result is materialized.
// CHECK-LABEL: func @conv_bias_relu
// CHECK-NOT: linalg.
// CHECK: %[[BIAS:.+]] = vector.transfer_read %arg2{{.*}} vector<32xf32>
// CHECK: %[[INIT:.+]] = vector.broadcast %[[BIAS]] : vector<32xf32> to vector<8x32xf32>
// CHECK: scf.forall
// CHECK: %[[SUM:.+]] = scf.for {{.*}} iter_args(%{{.+}} = %[[INIT]]) -> (vector<8x32xf32>)
// CHECK: vector.contract
// CHECK: %[[RELU:.+]] = arith.maximumf %[[SUM]], %{{.+}} : vector<8x32xf32>
// CHECK: vector.transfer_write %[[RELU]]
// CHECK-NOT: linalg.
func.func @conv_bias_relu(%x: tensor<1x10x10x16xf32>, %w: tensor<3x3x16x32xf32>, %b: tensor<32xf32>) -> tensor<1x8x8x32xf32> {
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x8x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x10x10x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
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

// Dynamic shapes do not tile into static vectors: the op is left alone.
// CHECK-LABEL: func @dynamic
// CHECK-NOT: scf.forall
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @dynamic(%x: tensor<?x10x10x16xf32>, %w: tensor<3x3x16x32xf32>, %init: tensor<?x8x8x32xf32>) -> tensor<?x8x8x32xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<?x10x10x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<?x8x8x32xf32>) -> tensor<?x8x8x32xf32>
  return %0 : tensor<?x8x8x32xf32>
}

// -----

// Max pooling: parallel rows, 4 pixels x 64 channels per register block,
// the -inf fill as the initial vector, window rows as a loop and the window
// columns unrolled as vector maxima over stride-2 input rows.
// CHECK-LABEL: func @max_pool
// CHECK: %[[NEGINF:.+]] = arith.constant dense<0xFF800000> : vector<4x64xf32>
// CHECK: scf.forall (%{{.+}}) in (4)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}} = %[[NEGINF]]) -> (vector<4x64xf32>)
// CHECK: vector.transfer_read {{.*}} vector<9x64xf32>
// CHECK-COUNT-12: arith.maximumf {{.*}} : vector<64xf32>
// CHECK-NOT: linalg.
func.func @max_pool(%x: tensor<1x10x10x64xf32>) -> tensor<1x4x4x64xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x4x4x64xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x4x4x64xf32>) -> tensor<1x4x4x64xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x10x10x64xf32>, tensor<3x3xf32>) outs(%f : tensor<1x4x4x64xf32>) -> tensor<1x4x4x64xf32>
  return %p : tensor<1x4x4x64xf32>
}

// -----

// A packed linear layer (2 rows, blocks of 32 features, 64 inputs): one
// task per feature block, 2 x 32 accumulators, 8 input features a step.
// CHECK-LABEL: func @packed_linear
// CHECK: scf.forall (%[[BLOCK:.+]]) in (4)
// CHECK: scf.for %{{.+}} = %c0 to %c64 step %c8 iter_args(%{{.+}} = %{{.+}}) -> (vector<2x32xf32>)
// CHECK: vector.contract {{.*}} : vector<2x8xf32>, vector<8x32xf32> into vector<2x32xf32>
// CHECK-NOT: linalg.
func.func @packed_linear(%x: tensor<2x64xf32>, %w: tensor<4x64x32xf32>) -> tensor<4x2x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2x32xf32>) -> tensor<4x2x32xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(mb, n, j, k) -> (n, k)>, affine_map<(mb, n, j, k) -> (mb, k, j)>, affine_map<(mb, n, j, k) -> (mb, n, j)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<2x64xf32>, tensor<4x64x32xf32>) outs(%f : tensor<4x2x32xf32>) attrs = {cnn.packed_linear} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x2x32xf32>
  return %0 : tensor<4x2x32xf32>
}

// -----

// A fill left over (a padded buffer's border value): parallel rows, 5
// pixels (a divisor of 230) x all channels per vector store.
// CHECK-LABEL: func @border_fill
// CHECK: scf.forall (%{{.+}}) in (230)
// CHECK: scf.for %{{.+}} = %c0 to %c230 step %c5
// CHECK: vector.transfer_write %{{.+}} : vector<5x3xf32>
func.func @border_fill(%v: f32) -> tensor<1x230x230x3xf32> {
  %e = tensor.empty() : tensor<1x230x230x3xf32>
  %f = linalg.fill ins(%v : f32) outs(%e : tensor<1x230x230x3xf32>) -> tensor<1x230x230x3xf32>
  return %f : tensor<1x230x230x3xf32>
}
