// RUN: cnn-opt %s -split-input-file -cnn-lower-memref-copy | FileCheck %s

// A copy into a padded buffer (NCHW here): parallel loops over the leading
// dimensions, each iteration one contiguous copy of a row of 8 floats.
// CHECK-LABEL: func @strided_copy
// CHECK-SAME: (%[[SRC:.+]]: memref<1x3x8x8xf32>, %[[DST:.+]]: memref<1x3x10x10xf32>)
// CHECK: %[[VIEW:.+]] = memref.subview %[[DST]]
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK: scf.parallel (%[[N:.+]], %[[C:.+]], %[[H:.+]]) = ({{.*}}) to (%{{.+}}, %[[C3]], %[[C8]])
// CHECK: %[[FROM:.+]] = memref.subview %[[SRC]][%[[N]], %[[C]], %[[H]], 0] [1, 1, 1, 8] [1, 1, 1, 1] : memref<1x3x8x8xf32> to memref<1x1x1x8xf32, strided<[192, 64, 8, 1], offset: ?>>
// CHECK: %[[TO:.+]] = memref.subview %[[VIEW]][%[[N]], %[[C]], %[[H]], 0] [1, 1, 1, 8] [1, 1, 1, 1] : memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>> to memref<1x1x1x8xf32, strided<[300, 100, 10, 1], offset: ?>>
// CHECK: memref.copy %[[FROM]], %[[TO]]
// CHECK-NOT: linalg.copy
func.func @strided_copy(%src: memref<1x3x8x8xf32>, %dst: memref<1x3x10x10xf32>) {
  %view = memref.subview %dst[0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1] : memref<1x3x10x10xf32> to memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>
  memref.copy %src, %view : memref<1x3x8x8xf32> to memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>
  return
}

// -----

// A concatenation's input into its channels of an NHWC buffer: the
// contiguous run is one pixel's 16 channels; a padded NHWC buffer's whole
// row (7 pixels of 16 channels) is one run.
// CHECK-LABEL: func @nhwc
// CHECK: scf.parallel (%{{.+}}, %{{.+}}, %{{.+}}) =
// CHECK: memref.copy {{.*}} : memref<1x1x1x16xf32, {{.*}}> to memref<1x1x1x16xf32, strided<[3136, 448, 64, 1], offset: ?>>
// CHECK: scf.parallel (%{{.+}}, %{{.+}}) =
// CHECK: memref.copy {{.*}} : memref<1x1x7x16xf32, {{.*}}> to memref<1x1x7x16xf32, strided<[1296, 144, 16, 1], offset: ?>>
func.func @nhwc(%src: memref<1x7x7x16xf32>, %concat: memref<1x7x7x64xf32>, %padded: memref<1x9x9x16xf32>) {
  %channels = memref.subview %concat[0, 0, 0, 16] [1, 7, 7, 16] [1, 1, 1, 1] : memref<1x7x7x64xf32> to memref<1x7x7x16xf32, strided<[3136, 448, 64, 1], offset: 16>>
  memref.copy %src, %channels : memref<1x7x7x16xf32> to memref<1x7x7x16xf32, strided<[3136, 448, 64, 1], offset: 16>>
  %interior = memref.subview %padded[0, 1, 1, 0] [1, 7, 7, 16] [1, 1, 1, 1] : memref<1x9x9x16xf32> to memref<1x7x7x16xf32, strided<[1296, 144, 16, 1], offset: 160>>
  memref.copy %src, %interior : memref<1x7x7x16xf32> to memref<1x7x7x16xf32, strided<[1296, 144, 16, 1], offset: 160>>
  return
}

// -----

// Contiguous on both sides: left whole (it lowers to llvm.memcpy).
// CHECK-LABEL: func @contiguous
// CHECK-NEXT: memref.copy %arg0, %arg1 : memref<2x8xf32> to memref<2x8xf32>
func.func @contiguous(%src: memref<2x8xf32>, %dst: memref<2x8xf32>) {
  memref.copy %src, %dst : memref<2x8xf32> to memref<2x8xf32>
  return
}

// -----

// No contiguous innermost dimension (every other column): linalg.copy.
// CHECK-LABEL: func @strided_inner
// CHECK: linalg.copy ins(%arg0 : memref<4x4xf32>) outs(%{{.+}} : memref<4x4xf32, strided<[8, 2]>>)
// CHECK-NOT: memref.copy
func.func @strided_inner(%src: memref<4x4xf32>, %dst: memref<4x8xf32>) {
  %view = memref.subview %dst[0, 0] [4, 4] [1, 2] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 2]>>
  memref.copy %src, %view : memref<4x4xf32> to memref<4x4xf32, strided<[8, 2]>>
  return
}
