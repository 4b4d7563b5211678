// RUN: cnn-opt %s -split-input-file -cnn-fold-concat-into-producers | FileCheck %s

#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#bias = affine_map<(n, h, w, c) -> (c)>

// Two producers (a convolution whose accumulator starts as the bias, and a
// ReLU) write into their slices of the concatenation: a fresh buffer made
// just before the first producer, each producer's destination a slice of
// the concatenation so far, each insert right after its input. The
// inputs are inserted in the order they are computed, not the order of
// the concatenation.
// CHECK-LABEL: func @two_producers
// CHECK: %[[BUF:.+]] = tensor.empty() : tensor<1x4x4x12xf32>
// CHECK: %[[S1:.+]] = tensor.extract_slice %[[BUF]][0, 0, 0, 8] [1, 4, 4, 4] [1, 1, 1, 1]
// CHECK: %[[RELU:.+]] = linalg.generic {{.*}} outs(%[[S1]] :
// CHECK: %[[C1:.+]] = tensor.insert_slice %[[RELU]] into %[[BUF]][0, 0, 0, 8] [1, 4, 4, 4]
// CHECK: %[[S2:.+]] = tensor.extract_slice %[[C1]][0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK: %[[INIT:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<8xf32>) outs(%[[S2]] :
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[INIT]] :
// CHECK: %[[C2:.+]] = tensor.insert_slice %[[CONV]] into %[[C1]][0, 0, 0, 0] [1, 4, 4, 8]
// CHECK-NOT: tensor.insert_slice
// CHECK: return %[[C2]]
func.func @two_producers(%x: tensor<1x4x4x4xf32>, %w: tensor<1x1x4x8xf32>, %b: tensor<8xf32>) -> tensor<1x4x4x12xf32> {
  %zero = arith.constant 0.0 : f32
  %e4 = tensor.empty() : tensor<1x4x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x4x4xf32>) outs(%e4 : tensor<1x4x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x4xf32>
  %e8 = tensor.empty() : tensor<1x4x4x8xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<8xf32>) outs(%e8 : tensor<1x4x4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x4x8xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x4x4xf32>, tensor<1x1x4x8xf32>) outs(%init : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %e = tensor.empty() : tensor<1x4x4x12xf32>
  %0 = tensor.insert_slice %c into %e[0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1] : tensor<1x4x4x8xf32> into tensor<1x4x4x12xf32>
  %1 = tensor.insert_slice %r into %0[0, 0, 0, 8] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x4xf32> into tensor<1x4x4x12xf32>
  return %1 : tensor<1x4x4x12xf32>
}

// -----

#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
// A function argument has no producer: it is inserted last. A value
// inserted twice is written once by its producer and copied once.
// CHECK-LABEL: func @argument_and_repeated_input
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x2x4xf32>)
// CHECK: %[[BUF:.+]] = tensor.empty() : tensor<1x2x2x12xf32>
// CHECK: %[[S:.+]] = tensor.extract_slice %[[BUF]][0, 0, 0, 0] [1, 2, 2, 4]
// CHECK: %[[R:.+]] = linalg.generic {{.*}} outs(%[[S]] :
// CHECK: %[[C0:.+]] = tensor.insert_slice %[[R]] into %[[BUF]][0, 0, 0, 0] [1, 2, 2, 4]
// CHECK: %[[C1:.+]] = tensor.insert_slice %[[R]] into %[[C0]][0, 0, 0, 4] [1, 2, 2, 4]
// CHECK: %[[C2:.+]] = tensor.insert_slice %[[X]] into %[[C1]][0, 0, 0, 8] [1, 2, 2, 4]
// CHECK: return %[[C2]]
func.func @argument_and_repeated_input(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x12xf32> {
  %zero = arith.constant 0.0 : f32
  %e4 = tensor.empty() : tensor<1x2x2x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x2x2x4xf32>) outs(%e4 : tensor<1x2x2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x2x2x4xf32>
  %e = tensor.empty() : tensor<1x2x2x12xf32>
  %0 = tensor.insert_slice %r into %e[0, 0, 0, 0] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x4xf32> into tensor<1x2x2x12xf32>
  %1 = tensor.insert_slice %r into %0[0, 0, 0, 4] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x4xf32> into tensor<1x2x2x12xf32>
  %2 = tensor.insert_slice %x into %1[0, 0, 0, 8] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x4xf32> into tensor<1x2x2x12xf32>
  return %2 : tensor<1x2x2x12xf32>
}

// -----

#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
// A producer that starts before the previous input is complete (its
// destination chain begins before that input's insert) keeps its own
// buffer; the insert copies it.
// CHECK-LABEL: func @interleaved_producers
// CHECK: %[[FB:.+]] = linalg.fill
// CHECK: %[[BUF:.+]] = tensor.empty() : tensor<1x2x2x8xf32>
// CHECK: %[[SA:.+]] = tensor.extract_slice %[[BUF]][0, 0, 0, 0] [1, 2, 2, 4]
// CHECK: %[[A:.+]] = linalg.generic {{.*}} outs(%[[SA]] :
// CHECK: %[[CA:.+]] = tensor.insert_slice %[[A]] into %[[BUF]][0, 0, 0, 0]
// CHECK: %[[B:.+]] = linalg.generic {{.*}} outs(%[[FB]] :
// CHECK: tensor.insert_slice %[[B]] into %[[CA]][0, 0, 0, 4]
func.func @interleaved_producers(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x8xf32> {
  %zero = arith.constant 0.0 : f32
  %eb = tensor.empty() : tensor<1x2x2x4xf32>
  %fb = linalg.fill ins(%zero : f32) outs(%eb : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %ea = tensor.empty() : tensor<1x2x2x4xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x2x2x4xf32>) outs(%ea : tensor<1x2x2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x2x2x4xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a : tensor<1x2x2x4xf32>) outs(%fb : tensor<1x2x2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<1x2x2x4xf32>
  %e = tensor.empty() : tensor<1x2x2x8xf32>
  %0 = tensor.insert_slice %a into %e[0, 0, 0, 0] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x4xf32> into tensor<1x2x2x8xf32>
  %1 = tensor.insert_slice %b into %0[0, 0, 0, 4] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x4xf32> into tensor<1x2x2x8xf32>
  return %1 : tensor<1x2x2x8xf32>
}

// -----

// Overlapping slices cannot be reordered: the chain stays as it is.
// CHECK-LABEL: func @overlapping_slices
// CHECK: %[[E:.+]] = tensor.empty() : tensor<1x2x2x6xf32>
// CHECK: %[[C0:.+]] = tensor.insert_slice %{{.+}} into %[[E]][0, 0, 0, 0] [1, 2, 2, 4]
// CHECK: tensor.insert_slice %{{.+}} into %[[C0]][0, 0, 0, 2] [1, 2, 2, 4]
func.func @overlapping_slices(%x: tensor<1x2x2x4xf32>, %y: tensor<1x2x2x4xf32>) -> tensor<1x2x2x6xf32> {
  %e = tensor.empty() : tensor<1x2x2x6xf32>
  %0 = tensor.insert_slice %y into %e[0, 0, 0, 0] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x4xf32> into tensor<1x2x2x6xf32>
  %1 = tensor.insert_slice %x into %0[0, 0, 0, 2] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x4xf32> into tensor<1x2x2x6xf32>
  return %1 : tensor<1x2x2x6xf32>
}
