// RUN: cnn-opt %s -cnn-flatten-constant-globals | FileCheck %s

// A rank-2 weight global becomes rank 1; its users see the original shape.
// CHECK: memref.global "private" constant @weights : memref<6xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]>
// CHECK: memref.global "private" constant @bias : memref<3xf32>
// CHECK: memref.global "private" @scratch : memref<2x2xf32>
// CHECK-LABEL: func @use
// CHECK: %[[FLAT:.+]] = memref.get_global @weights : memref<6xf32>
// CHECK: %[[W:.+]] = memref.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [2, 3] : memref<6xf32> into memref<2x3xf32>
// CHECK: memref.get_global @bias : memref<3xf32>
// CHECK: memref.get_global @scratch : memref<2x2xf32>
// CHECK: return %[[W]]
memref.global "private" constant @weights : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
memref.global "private" constant @bias : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
memref.global "private" @scratch : memref<2x2xf32> = uninitialized
func.func @use() -> memref<2x3xf32> {
  %0 = memref.get_global @weights : memref<2x3xf32>
  %1 = memref.get_global @bias : memref<3xf32>
  %2 = memref.get_global @scratch : memref<2x2xf32>
  return %0 : memref<2x3xf32>
}
