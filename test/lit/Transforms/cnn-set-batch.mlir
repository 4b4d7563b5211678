// RUN: cnn-opt %s -cnn-set-batch=batch=5 | FileCheck %s
// RUN: cnn-opt %s -cnn-set-batch=batch=5 -cnn-set-batch=batch=2 | FileCheck %s --check-prefix=BACK

// Every value computed from the input gets batch 5: inferred ops, ops whose
// result has their operand's type, a slice spanning the batch (its sizes
// follow), and the function type. Weights keep their shapes.
// CHECK-LABEL: func @model
// CHECK-SAME: (%{{.+}}: tensor<5x3x8x8xf32>) -> tensor<5x10xf32>
// CHECK: cnn.conv2d {{.+}} -> tensor<5x4x8x8xf32>
// CHECK: cnn.relu %{{.+}} : tensor<5x4x8x8xf32>
// CHECK: cnn.add %{{.+}}, %{{.+}} : tensor<5x4x8x8xf32>
// CHECK: cnn.slice %{{.+}} starts [0, 0, 0, 0] sizes [5, 4, 4, 4] steps [1, 1, 2, 2] : tensor<5x4x8x8xf32> -> tensor<5x4x4x4xf32>
// CHECK: cnn.global_avg_pool %{{.+}} : tensor<5x4x4x4xf32> -> tensor<5x4x1x1xf32>
// CHECK: cnn.flatten %{{.+}} : tensor<5x4x1x1xf32> -> tensor<5x4xf32>
// CHECK: cnn.linear %{{.+}}, %{{.+}} bias(%{{.+}}) : (tensor<5x4xf32>, tensor<10x4xf32>, tensor<10xf32>) -> tensor<5x10xf32>
// CHECK: return %{{.+}} : tensor<5x10xf32>
// Setting the batch back gives the original types.
// BACK-LABEL: func @model
// BACK-SAME: (%{{.+}}: tensor<2x3x8x8xf32>) -> tensor<2x10xf32>
// BACK: cnn.slice %{{.+}} starts [0, 0, 0, 0] sizes [2, 4, 4, 4]
func.func @model(%x: tensor<2x3x8x8xf32>) -> tensor<2x10xf32> {
  %w = arith.constant dense<0.5> : tensor<4x3x3x3xf32>
  %wl = arith.constant dense<0.25> : tensor<10x4xf32>
  %bl = arith.constant dense<1.0> : tensor<10xf32>
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x8x8xf32>
  %1 = cnn.relu %0 : tensor<2x4x8x8xf32>
  %2 = cnn.add %1, %0 : tensor<2x4x8x8xf32>
  %3 = cnn.slice %2 starts [0, 0, 0, 0] sizes [2, 4, 4, 4] steps [1, 1, 2, 2] : tensor<2x4x8x8xf32> -> tensor<2x4x4x4xf32>
  %4 = cnn.global_avg_pool %3 : tensor<2x4x4x4xf32> -> tensor<2x4x1x1xf32>
  %5 = cnn.flatten %4 : tensor<2x4x1x1xf32> -> tensor<2x4xf32>
  %6 = cnn.linear %5, %wl bias(%bl) : (tensor<2x4xf32>, tensor<10x4xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %6 : tensor<2x10xf32>
}

