// RUN: cnn-opt %s -split-input-file -cnn-export-c-abi -verify-diagnostics | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-export-c-abi=prefix=resnet -verify-diagnostics | FileCheck %s --check-prefix=PREFIX
// RUN: cnn-opt %s -split-input-file -cnn-export-c-abi=dynamic-batch=true -verify-diagnostics | FileCheck %s --check-prefix=DYNAMIC

// The entry point is renamed, and its tensors recorded for the C ABI's
// queries: default names, the static shapes (-1 for a dynamic batch).
// CHECK-LABEL: func.func @cnn_model_run(%{{.+}}: tensor<2x3x8x8xf32>) -> tensor<2x10xf32>
// CHECK-SAME: cnn.inputs = [{name = "input", shape = array<i64: 2, 3, 8, 8>}]
// CHECK-SAME: cnn.outputs = [{name = "output", shape = array<i64: 2, 10>}]
// PREFIX-LABEL: func.func @resnet_run
// DYNAMIC-LABEL: func.func @cnn_model_run
// DYNAMIC-SAME: cnn.inputs = [{name = "input", shape = array<i64: -1, 3, 8, 8>}]
// DYNAMIC-SAME: cnn.outputs = [{name = "output", shape = array<i64: -1, 10>}]
func.func @forward(%x: tensor<2x3x8x8xf32>) -> tensor<2x10xf32> {
  %0 = arith.constant dense<0.0> : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Several inputs and outputs keep their order and their `cnn.name`s (the
// ONNX graph's); an unnamed one is numbered, a repeated name made unique.
// CHECK-LABEL: func.func @cnn_model_run
// CHECK-SAME: cnn.inputs = [{name = "image", shape = array<i64: 1, 3, 4, 4>}, {name = "input1", shape = array<i64: 1, 1, 4, 4>}]
// CHECK-SAME: cnn.outputs = [{name = "logits", shape = array<i64: 1, 10>}, {name = "logits_1", shape = array<i64: 1, 4>}]
func.func @forward(%x: tensor<1x3x4x4xf32> {cnn.name = "image"}, %m: tensor<1x1x4x4xf32>) -> (tensor<1x10xf32> {cnn.name = "logits"}, tensor<1x4xf32> {cnn.name = "logits"}) {
  %0 = arith.constant dense<0.0> : tensor<1x10xf32>
  %1 = arith.constant dense<1.0> : tensor<1x4xf32>
  return %0, %1 : tensor<1x10xf32>, tensor<1x4xf32>
}

// -----

// expected-error @+1 {{expected exactly one public function (the model's entry point), found 2}}
module {
  func.func @a(%x: tensor<1xf32>) -> tensor<1xf32> { return %x : tensor<1xf32> }
  func.func @b(%x: tensor<1xf32>) -> tensor<1xf32> { return %x : tensor<1xf32> }
}

// -----

// expected-error @+1 {{the entry point 'forward' must take 1 to 16 static f32 tensors and return 1 to 16, got '(tensor<?x3xf32>) -> tensor<?x3xf32>'}}
func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %x : tensor<?x3xf32>
}
