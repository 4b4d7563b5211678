// RUN: cnn-opt %s -cnn-instrument-layers | FileCheck %s
// RUN: cnn-opt %s -cnn-instrument-layers -cnn-emit-layer-table="prefix=net" | FileCheck %s --check-prefix=TABLE

// Each layer is preceded by a call numbering it, the return by layer -1.
// Layer ops carry their index; the module carries the table of layers
// (name, op, output, FLOPs: 2 x 144 outputs x 27 products, algorithm).
// CHECK: module attributes {cnn.layer_table = ["stem\09conv2d 3x3+relu\091x4x6x6\097776\09direct", "pool\09max_pool2d\091x4x3x3\090\09-"]}
// CHECK: func.func private @cnnrt_layer_begin(i32)
// CHECK-LABEL: func.func @forward
// CHECK: %[[L0:.+]] = arith.constant 0 : i32
// CHECK: call @cnnrt_layer_begin(%[[L0]])
// CHECK: cnn.conv2d {{.*}} {cnn.layer = 0 : i32}
// CHECK: %[[L1:.+]] = arith.constant 1 : i32
// CHECK: call @cnnrt_layer_begin(%[[L1]])
// CHECK: cnn.max_pool2d {{.*}} {cnn.layer = 1 : i32}
// CHECK: %[[END:.+]] = arith.constant -1 : i32
// CHECK: call @cnnrt_layer_begin(%[[END]])
// CHECK: return

// The table becomes a string returned by net_layer_table().
// TABLE-NOT: cnn.layer_table
// TABLE: llvm.mlir.global internal constant @net_layer_table_data("stem\09conv2d 3x3+relu\091x4x6x6\097776\09direct\0Apool\09max_pool2d\091x4x3x3\090\09-\0A\00")
// TABLE: llvm.func @net_layer_table() -> !llvm.ptr
// TABLE: llvm.mlir.addressof @net_layer_table_data
func.func @forward(%x: tensor<1x3x6x6xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] relu : (tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> loc("stem")
  %1 = cnn.max_pool2d %0 kernel [2, 2] strides [2, 2] : tensor<1x4x6x6xf32> -> tensor<1x4x3x3xf32> loc("pool")
  return %1 : tensor<1x4x3x3xf32>
}
