// RUN: cnn-opt %s -canonicalize -split-input-file | FileCheck %s

// relu(relu(x)) -> relu(x)
// CHECK-LABEL: func @relu_of_relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x8x8xf32>)
// CHECK-NEXT: %[[R:.+]] = cnn.relu %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @relu_of_relu(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %0 = cnn.relu %x : tensor<1x4x8x8xf32>
  %1 = cnn.relu %0 : tensor<1x4x8x8xf32>
  return %1 : tensor<1x4x8x8xf32>
}

// -----

// relu(conv{relu}(x)) -> conv{relu}(x)
// CHECK-LABEL: func @relu_after_fused_relu
// CHECK-NEXT: %[[C:.+]] = cnn.conv2d {{.*}} relu
// CHECK-NEXT: return %[[C]]
func.func @relu_after_fused_relu(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv2d %x, %w relu : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.relu %0 : tensor<1x4x6x6xf32>
  return %1 : tensor<1x4x6x6xf32>
}

// -----

// relu(conv(x)) stays: the convolution has no ReLU of its own.
// CHECK-LABEL: func @relu_after_plain_conv
// CHECK: cnn.conv2d
// CHECK-NEXT: cnn.relu
func.func @relu_after_plain_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.relu %0 : tensor<1x4x6x6xf32>
  return %1 : tensor<1x4x6x6xf32>
}

// -----

// flatten(x) -> x when x is already flat
// CHECK-LABEL: func @flatten_of_flat
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>)
// CHECK-NEXT: return %[[X]]
func.func @flatten_of_flat(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = cnn.flatten %x : tensor<2x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// flatten(flatten(x)) -> flatten(x)
// CHECK-LABEL: func @flatten_of_flatten
// CHECK-NEXT: %[[F:.+]] = cnn.flatten %{{.+}} : tensor<2x8x1x1xf32> -> tensor<2x8xf32>
// CHECK-NEXT: return %[[F]]
func.func @flatten_of_flatten(%x: tensor<2x8x1x1xf32>) -> tensor<2x8xf32> {
  %0 = cnn.flatten %x : tensor<2x8x1x1xf32> -> tensor<2x8xf32>
  %1 = cnn.flatten %0 : tensor<2x8xf32> -> tensor<2x8xf32>
  return %1 : tensor<2x8xf32>
}

// -----

// max_pool2d(x) kernel [1, 1] -> x; avg_pool2d likewise
// CHECK-LABEL: func @identity_pools
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x5x5xf32>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @identity_pools(%x: tensor<1x4x5x5xf32>) -> (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) {
  %0 = cnn.max_pool2d %x kernel [1, 1] : tensor<1x4x5x5xf32> -> tensor<1x4x5x5xf32>
  %1 = cnn.avg_pool2d %x kernel [1, 1] : tensor<1x4x5x5xf32> -> tensor<1x4x5x5xf32>
  return %0, %1 : tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>
}

// -----

// A strided 1x1 pool is a subsampling, not an identity.
// CHECK-LABEL: func @strided_unit_pool
// CHECK: cnn.max_pool2d
func.func @strided_unit_pool(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x3x3xf32> {
  %0 = cnn.max_pool2d %x kernel [1, 1] strides [2, 2] : tensor<1x4x6x6xf32> -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// slice(slice(x)) is one slice: starts 1 + 2 * 1 = 3, steps 2 * 3 = 6 on the
// last axis; a slice of everything and a pad of nothing are their input.
// CHECK-LABEL: func @slices
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x16x16xf32>)
// CHECK-NEXT: %[[S:.+]] = cnn.slice %[[X]] starts [0, 0, 0, 3] sizes [1, 4, 16, 2] steps [1, 1, 1, 6]
// CHECK-NEXT: return %[[S]]
func.func @slices(%x: tensor<1x4x16x16xf32>) -> tensor<1x4x16x2xf32> {
  %all = cnn.slice %x starts [0, 0, 0, 0] sizes [1, 4, 16, 16] steps [1, 1, 1, 1] : tensor<1x4x16x16xf32> -> tensor<1x4x16x16xf32>
  %a = cnn.slice %all starts [0, 0, 0, 1] sizes [1, 4, 16, 7] steps [1, 1, 1, 2] : tensor<1x4x16x16xf32> -> tensor<1x4x16x7xf32>
  %b = cnn.slice %a starts [0, 0, 0, 1] sizes [1, 4, 16, 2] steps [1, 1, 1, 3] : tensor<1x4x16x7xf32> -> tensor<1x4x16x2xf32>
  %c = cnn.pad %b low [0, 0, 0, 0] high [0, 0, 0, 0] : tensor<1x4x16x2xf32> -> tensor<1x4x16x2xf32>
  return %c : tensor<1x4x16x2xf32>
}

// -----

// A one-element slice may have any step; composed with another slice its
// step is 1, not the product (which could overflow: a fuzzer finding).
// CHECK-LABEL: func @one_element_slice_of_slice
// CHECK-NEXT: cnn.slice %{{.+}} starts [0, 0, 2, 3] sizes [1, 4, 1, 1] steps [1, 1, 1, 1]
func.func @one_element_slice_of_slice(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32> {
  %a = cnn.slice %x starts [0, 0, 0, 1] sizes [1, 4, 4, 4] steps [1, 1, 2, 2] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  %b = cnn.slice %a starts [0, 0, 1, 1] sizes [1, 4, 1, 1] steps [1, 1, 816165846786, 816165846786] : tensor<1x4x4x4xf32> -> tensor<1x4x1x1xf32>
  return %b : tensor<1x4x1x1xf32>
}

// -----

// reshape to the same shape, identity transposes and shuffles of one group
// fold away; chains of reshapes and of transposes become one.
// CHECK-LABEL: func @data_movement_folds
// CHECK-SAME: (%[[X:.+]]: tensor<1x6x4x4xf32>)
// CHECK-NEXT: %[[R:.+]] = cnn.reshape %[[X]] : tensor<1x6x4x4xf32> -> tensor<6x16xf32>
// CHECK-NEXT: %[[T:.+]] = cnn.transpose %[[X]] perm [0, 3, 2, 1] : tensor<1x6x4x4xf32> -> tensor<1x4x4x6xf32>
// CHECK-NEXT: return %[[X]], %[[R]], %[[T]], %[[X]]
func.func @data_movement_folds(%x: tensor<1x6x4x4xf32>)
    -> (tensor<1x6x4x4xf32>, tensor<6x16xf32>, tensor<1x4x4x6xf32>, tensor<1x6x4x4xf32>) {
  %0 = cnn.reshape %x : tensor<1x6x4x4xf32> -> tensor<1x6x4x4xf32>
  %1 = cnn.reshape %0 : tensor<1x6x4x4xf32> -> tensor<1x96xf32>
  %2 = cnn.reshape %1 : tensor<1x96xf32> -> tensor<6x16xf32>
  %3 = cnn.transpose %x perm [0, 2, 3, 1] : tensor<1x6x4x4xf32> -> tensor<1x4x4x6xf32>
  %4 = cnn.transpose %3 perm [0, 2, 1, 3] : tensor<1x4x4x6xf32> -> tensor<1x4x4x6xf32>
  %5 = cnn.transpose %3 perm [0, 3, 1, 2] : tensor<1x4x4x6xf32> -> tensor<1x6x4x4xf32>
  %6 = cnn.channel_shuffle %5 groups 1 : tensor<1x6x4x4xf32>
  return %0, %2, %4, %6 : tensor<1x6x4x4xf32>, tensor<6x16xf32>, tensor<1x4x4x6xf32>, tensor<1x6x4x4xf32>
}

// -----

// A depth_to_space of block 1 is the identity.
// CHECK-LABEL: func @unit_depth_to_space
// CHECK-SAME: (%[[X:.+]]: tensor<1x6x4x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @unit_depth_to_space(%x: tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32> {
  %0 = cnn.depth_to_space %x block 1 : tensor<1x6x4x4xf32> -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}
