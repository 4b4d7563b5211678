// RUN: cnn-opt %s -split-input-file -cnn-set-batch=batch=5 -verify-diagnostics -o /dev/null
// RUN: not cnn-opt %s -split-input-file -cnn-set-batch=batch=0 -o /dev/null 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: error: cannot set the batch to 0

// A slice of part of the batch cannot follow a new batch.
func.func @part_of_batch(%x: tensor<2x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{cannot change the batch of a slice of part of the batch}}
  %0 = cnn.slice %x starts [1, 0, 0, 0] sizes [1, 4, 8, 8] steps [1, 1, 1, 1] : tensor<2x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// Flattening around axis 0 mixes the batch into the features.
func.func @flatten_batch(%x: tensor<2x4x1x1xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{cannot change the batch of 'cnn.flatten': its result 'tensor<1x20xf32>' does not keep the batch in dimension 0}}
  %0 = cnn.flatten %x axis 0 : tensor<2x4x1x1xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

