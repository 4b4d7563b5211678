// RUN: cnn-opt %s -cnn-instrument-layers | FileCheck %s
// RUN: cnn-opt %s -cnn-instrument-layers -cnn-emit-layer-table="prefix=net" | FileCheck %s --check-prefix=TABLE
// The table survives a round trip through text.
// RUN: cnn-opt %s -cnn-instrument-layers | cnn-opt -cnn-emit-layer-table="prefix=net" | FileCheck %s --check-prefix=TABLE

// Each layer is preceded by a call numbering it, the return by layer -1.
// Layer ops carry their index; the module carries the table of layers
// (name, op, output, FLOPs: 2 x 144 outputs x 27 products, algorithm).
// CHECK: module attributes {cnn.layer_table = [
// CHECK-SAME: #cnn.layer_info<name = "stem", op = "conv2d 3x3+relu", shape = [1, 4, 6, 6], flops = 7776, algorithm = "direct">,
// CHECK-SAME: #cnn.layer_info<name = "pool", op = "max_pool2d", shape = [1, 4, 3, 3], flops = 0, algorithm = "-">]}
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

// The table becomes an array of cnn_layer_info structs {name, op, algorithm,
// rank, shape, flops}, each distinct string and shape stored once, and
// net_layer_table(&count) returns it.
// TABLE-NOT: cnn.layer_table
// TABLE-DAG: llvm.mlir.global internal constant @[[STEM:.+]]("stem\00")
// TABLE-DAG: llvm.mlir.global internal constant @[[CONV:.+]]("conv2d 3x3+relu\00")
// TABLE-DAG: llvm.mlir.global internal constant @[[DIRECT:.+]]("direct\00")
// TABLE-DAG: llvm.mlir.global internal constant @[[SHAPE0:.+]](dense<[1, 4, 6, 6]> : tensor<4xi64>)
// TABLE-DAG: llvm.mlir.global internal constant @[[POOL:.+]]("pool\00")
// TABLE-DAG: llvm.mlir.global internal constant @[[MAX:.+]]("max_pool2d\00")
// TABLE-DAG: llvm.mlir.global internal constant @[[NONE:.+]]("-\00")
// TABLE-DAG: llvm.mlir.global internal constant @[[SHAPE1:.+]](dense<[1, 4, 3, 3]> : tensor<4xi64>)
// TABLE: llvm.mlir.global internal constant @[[DATA:.+]]() {{.*}} : !llvm.array<2 x struct<(ptr, ptr, ptr, i64, ptr, i64)>> {
// TABLE: %[[A0:.+]] = llvm.mlir.addressof @[[STEM]]
// TABLE: llvm.insertvalue %[[A0]], %{{.+}}[0, 0]
// TABLE: %[[A1:.+]] = llvm.mlir.addressof @[[CONV]]
// TABLE: llvm.insertvalue %[[A1]], %{{.+}}[0, 1]
// TABLE: %[[A2:.+]] = llvm.mlir.addressof @[[DIRECT]]
// TABLE: llvm.insertvalue %[[A2]], %{{.+}}[0, 2]
// TABLE: %[[RANK:.+]] = llvm.mlir.constant(4 : i64)
// TABLE: llvm.insertvalue %[[RANK]], %{{.+}}[0, 3]
// TABLE: %[[A4:.+]] = llvm.mlir.addressof @[[SHAPE0]]
// TABLE: llvm.insertvalue %[[A4]], %{{.+}}[0, 4]
// TABLE: %[[FLOPS:.+]] = llvm.mlir.constant(7776 : i64)
// TABLE: llvm.insertvalue %[[FLOPS]], %{{.+}}[0, 5]
// TABLE: llvm.mlir.addressof @[[POOL]]
// TABLE: llvm.mlir.addressof @[[MAX]]
// TABLE: llvm.mlir.addressof @[[NONE]]
// TABLE: llvm.mlir.addressof @[[SHAPE1]]
// TABLE: %[[ZERO:.+]] = llvm.mlir.constant(0 : i64)
// TABLE: %[[LAST:.+]] = llvm.insertvalue %[[ZERO]], %{{.+}}[1, 5]
// TABLE: llvm.return %[[LAST]]
// TABLE: llvm.func @net_layer_table(%[[COUNT:.+]]: !llvm.ptr) -> !llvm.ptr
// TABLE: %[[TWO:.+]] = llvm.mlir.constant(2 : i64)
// TABLE: llvm.store %[[TWO]], %[[COUNT]]
// TABLE: %[[ADDRESS:.+]] = llvm.mlir.addressof @[[DATA]]
// TABLE: llvm.return %[[ADDRESS]]
func.func @forward(%x: tensor<1x3x6x6xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] relu : (tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> loc("stem")
  %1 = cnn.max_pool2d %0 kernel [2, 2] strides [2, 2] : tensor<1x4x6x6xf32> -> tensor<1x4x3x3xf32> loc("pool")
  return %1 : tensor<1x4x3x3xf32>
}
