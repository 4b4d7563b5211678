// RUN: cnn-opt %s -cnn-lower-vector-kernels | FileCheck %s

// A bufferized 2-pixel x 32-channel kernel step with 8 input channels: the
// contraction becomes one broadcast input element times one filter row per
// (pixel, input channel): 16 vector.fma on vector<32xf32>, with the leading
// unit dimension gone. The filter read, invariant in the loop, is hoisted.
// CHECK-LABEL: func @kernel
// CHECK: %[[W:.+]] = vector.transfer_read %arg1{{.*}} vector<8x32xf32>
// CHECK: scf.for
// CHECK: %[[X:.+]] = vector.transfer_read %arg0{{.*}} vector<2x8xf32>
// CHECK: %[[ROW:.+]] = vector.extract %[[W]][0] : vector<32xf32> from vector<8x32xf32>
// CHECK: %[[E:.+]] = vector.extract %[[X]][0, 0] : f32 from vector<2x8xf32>
// CHECK: %[[B:.+]] = vector.broadcast %[[E]] : f32 to vector<32xf32>
// CHECK: vector.fma %[[B]], %[[ROW]], %{{.+}} : vector<32xf32>
// CHECK-COUNT-15: vector.fma
// CHECK-NOT: vector.fma
// CHECK-NOT: vector.contract
// CHECK: scf.yield
func.func @kernel(%in: memref<1x10x8xf32>, %w: memref<1x8x32xf32>, %out: memref<1x2x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %cst = arith.constant 0.000000e+00 : f32
  %acc0 = vector.transfer_read %out[%c0, %c0, %c0], %cst {in_bounds = [true, true, true]} : memref<1x2x32xf32>, vector<1x2x32xf32>
  %r = scf.for %kw = %c0 to %c3 step %c1 iter_args(%acc = %acc0) -> (vector<1x2x32xf32>) {
    %x = vector.transfer_read %in[%c0, %kw, %c0], %cst {in_bounds = [true, true, true]} : memref<1x10x8xf32>, vector<1x2x8xf32>
    %f3 = vector.transfer_read %w[%c0, %c0, %c0], %cst {in_bounds = [true, true, true]} : memref<1x8x32xf32>, vector<1x8x32xf32>
    %f = vector.extract %f3[0] : vector<8x32xf32> from vector<1x8x32xf32>
    %next = vector.contract {indexing_maps = [affine_map<(n, w, f, c) -> (n, w, c)>, affine_map<(n, w, f, c) -> (c, f)>, affine_map<(n, w, f, c) -> (n, w, f)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %x, %f, %acc : vector<1x2x8xf32>, vector<8x32xf32> into vector<1x2x32xf32>
    scf.yield %next : vector<1x2x32xf32>
  }
  vector.transfer_write %r, %out[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x2x32xf32>, memref<1x2x32xf32>
  return
}

// -----

// exp on vectors (a sigmoid) becomes MLIR's polynomial approximation: vector
// arithmetic and no math.exp, which LLVM would lower to a scalar expf call
// per element.
// CHECK-LABEL: func @sigmoid_exp
// CHECK-NOT: math.exp
// CHECK: math.fma {{.*}} : vector<16xf32>
// CHECK-NOT: math.exp
// CHECK: return
func.func @sigmoid_exp(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = math.exp %x : vector<16xf32>
  return %0 : vector<16xf32>
}
