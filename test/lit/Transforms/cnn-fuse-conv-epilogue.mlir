// RUN: cnn-opt %s -split-input-file -cnn-fuse-conv-epilogue | FileCheck %s

// relu(conv(...)) -> conv(...) relu
// CHECK-LABEL: func @conv_relu
// CHECK-NEXT: %[[C:.+]] = cnn.conv2d %{{.+}}, %{{.+}} bias(%{{.+}}) relu
// CHECK-NEXT: return %[[C]]
func.func @conv_relu(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv2d %x, %w bias(%b) : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.relu %0 : tensor<1x4x6x6xf32>
  return %1 : tensor<1x4x6x6xf32>
}

// -----

// A basic residual block: relu(add(conv(...), x)) -> conv(...) residual(x) relu
// CHECK-LABEL: func @residual_block
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x6x6xf32>
// CHECK: %[[C1:.+]] = cnn.conv2d %[[X]], %{{.+}} padding [1, 1, 1, 1] relu
// CHECK-NEXT: %[[C2:.+]] = cnn.conv2d %[[C1]], %{{.+}} padding [1, 1, 1, 1] residual(%[[X]]) relu
// CHECK-NEXT: return %[[C2]]
func.func @residual_block(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.relu %0 : tensor<1x4x6x6xf32>
  %2 = cnn.conv2d %1, %w padding [1, 1, 1, 1] : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %3 = cnn.add %x, %2 : tensor<1x4x6x6xf32>
  %4 = cnn.relu %3 : tensor<1x4x6x6xf32>
  return %4 : tensor<1x4x6x6xf32>
}

// -----

// A projection shortcut: the add fuses into one convolution, the other
// convolution becomes its residual.
// CHECK-LABEL: func @projection
// CHECK: %[[P:.+]] = cnn.conv2d %{{.+}}, %{{.+}} : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>)
// CHECK: cnn.conv2d %{{.+}}, %{{.+}} residual(%[[P]]) relu
func.func @projection(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %p: tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.conv2d %x, %p : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %2 = cnn.add %0, %1 : tensor<1x4x6x6xf32>
  %3 = cnn.relu %2 : tensor<1x4x6x6xf32>
  return %3 : tensor<1x4x6x6xf32>
}

// -----

// Must not fuse: the convolution's output is used twice, and an add whose
// operands are not convolutions.
// CHECK-LABEL: func @no_fusion
// CHECK: %[[C:.+]] = cnn.conv2d %{{.+}}, %{{.+}} : (
// CHECK: cnn.relu %[[C]]
// CHECK: %[[A:.+]] = cnn.add %[[C]], %{{.+}}
// CHECK: %[[B:.+]] = cnn.add %{{.+}}, %{{.+}}
// CHECK: cnn.relu %[[B]]
func.func @no_fusion(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x1x1xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) {
  %0 = cnn.conv2d %x, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.relu %0 : tensor<1x4x6x6xf32>
  %2 = cnn.add %0, %x : tensor<1x4x6x6xf32>
  %3 = cnn.add %x, %x : tensor<1x4x6x6xf32>
  %4 = cnn.relu %3 : tensor<1x4x6x6xf32>
  return %1, %2, %4 : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>
}

// -----

// relu(linear(...)) -> linear(...) relu
// CHECK-LABEL: func @linear_relu
// CHECK-NEXT: %[[L:.+]] = cnn.linear %{{.+}}, %{{.+}} bias(%{{.+}}) relu
// CHECK-NEXT: return %[[L]]
func.func @linear_relu(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = cnn.linear %x, %w bias(%b) : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %1 = cnn.relu %0 : tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// Other activations of a single-use convolution move into its epilogue as
// a #cnn.activation: ReLU6 (clip), SiLU, hard-swish, GELU, sigmoid; a
// residual add after the activation does not fuse (the residual comes
// before the activation), nor does an activation of a convolution with
// other users, nor a second activation.
// CHECK-LABEL: func @activations
// CHECK: %[[A:.+]] = cnn.conv2d %arg0, %arg1 bias(%arg2) activation(<kind = clip, min = 0.000000e+00 : f32, max = 6.000000e+00 : f32>) :
// CHECK-NEXT: %[[B:.+]] = cnn.conv2d %[[A]], %arg1 activation(<kind = silu>) :
// CHECK-NEXT: %[[C:.+]] = cnn.conv2d %[[B]], %arg1 activation(<kind = hard_swish>) :
// CHECK-NEXT: %[[D:.+]] = cnn.conv2d %[[C]], %arg1 activation(<kind = gelu>) :
// CHECK-NEXT: %[[E:.+]] = cnn.conv2d %[[D]], %arg1 activation(<kind = sigmoid>) :
// CHECK-NEXT: %[[F:.+]] = cnn.silu %[[E]]
// CHECK-NEXT: %[[G:.+]] = cnn.add %[[F]], %[[A]]
// CHECK-NEXT: %[[H:.+]] = cnn.conv2d %[[G]], %arg1 :
// CHECK-NEXT: %[[I:.+]] = cnn.silu %[[H]]
// CHECK-NEXT: %[[J:.+]] = cnn.add %[[H]], %[[I]]
// CHECK-NEXT: return %[[J]]
func.func @activations(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv2d %x, %w bias(%b) : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.clip %0 min 0.0 max 6.0 : tensor<1x4x6x6xf32>
  %2 = cnn.conv2d %1, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %3 = cnn.silu %2 : tensor<1x4x6x6xf32>
  %4 = cnn.conv2d %3, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %5 = cnn.hard_swish %4 : tensor<1x4x6x6xf32>
  %6 = cnn.conv2d %5, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %7 = cnn.gelu %6 : tensor<1x4x6x6xf32>
  %8 = cnn.conv2d %7, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %9 = cnn.sigmoid %8 : tensor<1x4x6x6xf32>
  %10 = cnn.silu %9 : tensor<1x4x6x6xf32>
  %11 = cnn.add %10, %1 : tensor<1x4x6x6xf32>
  %12 = cnn.conv2d %11, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %13 = cnn.silu %12 : tensor<1x4x6x6xf32>
  %14 = cnn.add %12, %13 : tensor<1x4x6x6xf32>
  return %14 : tensor<1x4x6x6xf32>
}

// The activations of other CNN families fuse the same way, each with its
// constants: leaky ReLU (YOLO, GANs), ELU and SELU, tanh (generator
// outputs), softplus, Mish (YOLOv4). PReLU, with a tensor of slopes, stays.
// CHECK-LABEL: func @more_activations
// CHECK: %[[A:.+]] = cnn.conv2d %arg0, %arg1 activation(<kind = leaky_relu, alpha = 1.000000e-01 : f32>) :
// CHECK-NEXT: %[[B:.+]] = cnn.conv2d %[[A]], %arg1 activation(<kind = elu, alpha = 1.67326319 : f32, gamma = 1.05070102 : f32>) :
// CHECK-NEXT: %[[C:.+]] = cnn.conv2d %[[B]], %arg1 activation(<kind = tanh>) :
// CHECK-NEXT: %[[D:.+]] = cnn.conv2d %[[C]], %arg1 activation(<kind = softplus>) :
// CHECK-NEXT: %[[E:.+]] = cnn.conv2d %[[D]], %arg1 activation(<kind = mish>) :
// CHECK-NEXT: %[[F:.+]] = cnn.conv2d %[[E]], %arg1 :
// CHECK-NEXT: %[[G:.+]] = cnn.prelu %[[F]], %arg2
// CHECK-NEXT: return %[[G]]
func.func @more_activations(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x1x1xf32>, %slope: tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.leaky_relu %0 alpha 0.1 : tensor<1x4x6x6xf32>
  %2 = cnn.conv2d %1, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %3 = cnn.elu %2 alpha 1.67326319 gamma 1.05070102 : tensor<1x4x6x6xf32>
  %4 = cnn.conv2d %3, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %5 = cnn.tanh %4 : tensor<1x4x6x6xf32>
  %6 = cnn.conv2d %5, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %7 = cnn.softplus %6 : tensor<1x4x6x6xf32>
  %8 = cnn.conv2d %7, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %9 = cnn.mish %8 : tensor<1x4x6x6xf32>
  %10 = cnn.conv2d %9, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %11 = cnn.prelu %10, %slope : (tensor<1x4x6x6xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %11 : tensor<1x4x6x6xf32>
}

// -----

// A transposed convolution's activation fuses into its convolution through
// the depth_to_space and the crop (elementwise ops commute with data
// movement); not when the depth_to_space has another user.
// CHECK-LABEL: func @through_depth_to_space
// CHECK: %[[C:.+]] = cnn.conv2d %arg0, %arg1 relu :
// CHECK-NEXT: %[[D:.+]] = cnn.depth_to_space %[[C]] block 2 :
// CHECK-NEXT: %[[S:.+]] = cnn.slice %[[D]]
// CHECK-NEXT: %[[E:.+]] = cnn.conv2d %arg0, %arg1 activation(<kind = tanh>) :
// CHECK-NEXT: %[[F:.+]] = cnn.depth_to_space %[[E]] block 2 crd :
// CHECK-NEXT: %[[G:.+]] = cnn.conv2d %arg0, %arg1 :
// CHECK-NEXT: %[[H:.+]] = cnn.depth_to_space %[[G]] block 2 :
// CHECK-NEXT: %[[I:.+]] = cnn.relu %[[H]]
// CHECK-NEXT: return %[[S]], %[[F]], %[[H]], %[[I]]
func.func @through_depth_to_space(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>)
    -> (tensor<1x2x6x6xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) {
  %0 = cnn.conv2d %x, %w : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %1 = cnn.depth_to_space %0 block 2 : tensor<1x8x4x4xf32> -> tensor<1x2x8x8xf32>
  %2 = cnn.slice %1 starts [0, 0, 1, 1] sizes [1, 2, 6, 6] steps [1, 1, 1, 1] : tensor<1x2x8x8xf32> -> tensor<1x2x6x6xf32>
  %3 = cnn.relu %2 : tensor<1x2x6x6xf32>
  %4 = cnn.conv2d %x, %w : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %5 = cnn.depth_to_space %4 block 2 crd : tensor<1x8x4x4xf32> -> tensor<1x2x8x8xf32>
  %6 = cnn.tanh %5 : tensor<1x2x8x8xf32>
  %7 = cnn.conv2d %x, %w : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %8 = cnn.depth_to_space %7 block 2 : tensor<1x8x4x4xf32> -> tensor<1x2x8x8xf32>
  %9 = cnn.relu %8 : tensor<1x2x8x8xf32>
  return %3, %6, %8, %9 : tensor<1x2x6x6xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>
}
