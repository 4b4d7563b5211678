// RUN: cnn-opt %s -cnn-instrument-layers="prefix=net" | FileCheck %s

// Each layer is preceded by a call numbering it, the return by layer -1;
// net_layer_table describes the layers (name, op, output, FLOPs: 2 x 144
// outputs x 27 products, algorithm).
// CHECK: llvm.mlir.global internal constant @net_layer_table_data("stem\09conv2d 3x3+relu\091x4x6x6\097776\09direct\0Apool\09max_pool2d\091x4x3x3\090\09-\0A\00")
// CHECK: func.func private @cnnrt_layer_begin(i32)
// CHECK-LABEL: func.func @forward
// CHECK: %[[L0:.+]] = arith.constant 0 : i32
// CHECK: call @cnnrt_layer_begin(%[[L0]])
// CHECK: cnn.conv2d
// CHECK: %[[L1:.+]] = arith.constant 1 : i32
// CHECK: call @cnnrt_layer_begin(%[[L1]])
// CHECK: cnn.max_pool2d
// CHECK: %[[END:.+]] = arith.constant -1 : i32
// CHECK: call @cnnrt_layer_begin(%[[END]])
// CHECK: return
// CHECK: llvm.func @net_layer_table() -> !llvm.ptr
func.func @forward(%x: tensor<1x3x6x6xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] relu : (tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> loc("stem")
  %1 = cnn.max_pool2d %0 kernel [2, 2] strides [2, 2] : tensor<1x4x6x6xf32> -> tensor<1x4x3x3xf32> loc("pool")
  return %1 : tensor<1x4x3x3xf32>
}
