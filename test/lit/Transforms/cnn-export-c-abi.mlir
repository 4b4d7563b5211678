// RUN: cnn-opt %s -split-input-file -cnn-export-c-abi -verify-diagnostics | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-export-c-abi=prefix=resnet -verify-diagnostics | FileCheck %s --check-prefix=PREFIX

// The entry point is renamed and the shapes become queryable from C.
// CHECK: func.func @cnn_model_run(%{{.+}}: tensor<2x3x8x8xf32>) -> tensor<2x10xf32>
// CHECK: llvm.mlir.global internal constant @__cnn_model_input_shape_data(dense<[2, 3, 8, 8]> : tensor<4xi64>)
// CHECK: llvm.func @cnn_model_input_rank() -> i64
// CHECK: llvm.mlir.constant(4 : i64)
// CHECK: llvm.func @cnn_model_input_shape() -> !llvm.ptr
// CHECK: llvm.mlir.addressof @__cnn_model_input_shape_data
// CHECK: llvm.mlir.global internal constant @__cnn_model_output_shape_data(dense<[2, 10]> : tensor<2xi64>)
// CHECK: llvm.func @cnn_model_output_rank() -> i64
// CHECK: llvm.mlir.constant(2 : i64)
// CHECK: llvm.func @cnn_model_output_shape() -> !llvm.ptr
// PREFIX: func.func @resnet_run
// PREFIX: llvm.func @resnet_output_shape
func.func @forward(%x: tensor<2x3x8x8xf32>) -> tensor<2x10xf32> {
  %0 = arith.constant dense<0.0> : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// expected-error @+1 {{expected exactly one public function (the model's entry point), found 2}}
module {
  func.func @a(%x: tensor<1xf32>) -> tensor<1xf32> { return %x : tensor<1xf32> }
  func.func @b(%x: tensor<1xf32>) -> tensor<1xf32> { return %x : tensor<1xf32> }
}

// -----

// expected-error @+1 {{the entry point 'forward' must take one static f32 tensor and return one, got '(tensor<?x3xf32>) -> tensor<?x3xf32>'}}
func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %x : tensor<?x3xf32>
}
