// RUN: cnn-opt %s -cnn-lower-memref-copy | FileCheck %s

// memref.copy %a, %b -> linalg.copy ins(%a) outs(%b)
// CHECK-LABEL: func @strided_copy
// CHECK-SAME: (%[[SRC:.+]]: memref<1x3x8x8xf32>, %[[DST:.+]]: memref<1x3x10x10xf32>)
// CHECK: %[[VIEW:.+]] = memref.subview %[[DST]]
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[SRC]] : memref<1x3x8x8xf32>) outs(%[[VIEW]] :
func.func @strided_copy(%src: memref<1x3x8x8xf32>, %dst: memref<1x3x10x10xf32>) {
  %view = memref.subview %dst[0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1] : memref<1x3x10x10xf32> to memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>
  memref.copy %src, %view : memref<1x3x8x8xf32> to memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>
  return
}
