// RUN: cnn-opt %s | FileCheck %s
// RUN: cnn-opt %s | cnn-opt | FileCheck %s
// RUN: cnn-opt -emit-bytecode %s | cnn-opt | FileCheck %s

// Every op prints in its custom form and parses back to the same IR.

// CHECK-LABEL: func @conv_forms
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x9x7xf32>, %[[W:.+]]: tensor<16x8x3x3xf32>, %[[B:.+]]: tensor<16xf32>, %[[G:.+]]: tensor<16x2x3x3xf32>, %[[R:.+]]: tensor<1x16x5x4xf32>)
func.func @conv_forms(%x: tensor<1x8x9x7xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>,
                      %g: tensor<16x2x3x3xf32>, %r: tensor<1x16x5x4xf32>)
    -> (tensor<1x16x7x5xf32>, tensor<1x16x5x4xf32>, tensor<1x16x9x7xf32>, tensor<1x16x5x4xf32>) {
  // CHECK: cnn.conv2d %[[X]], %[[W]] : (tensor<1x8x9x7xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x7x5xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x8x9x7xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x7x5xf32>
  // CHECK: cnn.conv2d %[[X]], %[[W]] bias(%[[B]]) strides [2, 2] padding [1, 1, 1, 1] relu
  %1 = cnn.conv2d %x, %w bias(%b) strides [2, 2] padding [1, 1, 1, 1] relu
      : (tensor<1x8x9x7xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x5x4xf32>
  // CHECK: cnn.conv2d %[[X]], %[[G]] padding [2, 2, 2, 2] dilations [2, 2] groups 4
  %2 = cnn.conv2d %x, %g padding [2, 2, 2, 2] dilations [2, 2] groups 4
      : (tensor<1x8x9x7xf32>, tensor<16x2x3x3xf32>) -> tensor<1x16x9x7xf32>
  // CHECK: cnn.conv2d %[[X]], %[[W]] bias(%[[B]]) strides [2, 2] padding [1, 0, 1, 2] residual(%[[R]]) relu
  %3 = cnn.conv2d %x, %w bias(%b) strides [2, 2] padding [1, 0, 1, 2] residual(%r) relu
      : (tensor<1x8x9x7xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<1x16x5x4xf32>) -> tensor<1x16x5x4xf32>
  return %0, %1, %2, %3 : tensor<1x16x7x5xf32>, tensor<1x16x5x4xf32>, tensor<1x16x9x7xf32>, tensor<1x16x5x4xf32>
}

// A fused activation other than ReLU: its #cnn.activation in short form.
// CHECK-LABEL: func @conv_activations
// CHECK: cnn.conv2d %{{.+}}, %{{.+}} bias(%{{.+}}) groups 8 activation(<kind = clip, min = 0.000000e+00 : f32, max = 6.000000e+00 : f32>) :
// CHECK: cnn.conv2d %{{.+}}, %{{.+}} activation(<kind = gelu>) :
func.func @conv_activations(%x: tensor<1x8x4x4xf32>, %dw: tensor<8x1x3x3xf32>, %b: tensor<8xf32>, %w: tensor<8x8x1x1xf32>) -> tensor<1x8x2x2xf32> {
  %0 = cnn.conv2d %x, %dw bias(%b) groups 8 activation(#cnn.activation<kind = clip, min = 0.0 : f32, max = 6.0 : f32>)
      : (tensor<1x8x4x4xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<1x8x2x2xf32>
  %1 = cnn.conv2d %0, %w activation(#cnn.activation<kind = gelu>)
      : (tensor<1x8x2x2xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x2x2xf32>
  return %1 : tensor<1x8x2x2xf32>
}

// CHECK-LABEL: func @norm_and_elementwise
func.func @norm_and_elementwise(%x: tensor<2x4x6x6xf32>, %c: tensor<4xf32>) -> tensor<2x4x6x6xf32> {
  // CHECK: %[[BN:.+]] = cnn.batch_norm %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} epsilon 1.000000e-03 : (tensor<2x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x6x6xf32>
  %0 = cnn.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-3
      : (tensor<2x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x6x6xf32>
  // CHECK: cnn.batch_norm {{.*}} : (tensor<2x4x6x6xf32>
  // CHECK-NOT: epsilon
  %1 = cnn.batch_norm %x, %c, %c, %c, %c
      : (tensor<2x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x6x6xf32>
  // CHECK: %[[RELU:.+]] = cnn.relu %[[BN]] : tensor<2x4x6x6xf32>
  %2 = cnn.relu %0 : tensor<2x4x6x6xf32>
  // CHECK: cnn.add %[[RELU]], %{{.+}} : tensor<2x4x6x6xf32>
  %3 = cnn.add %2, %1 : tensor<2x4x6x6xf32>
  return %3 : tensor<2x4x6x6xf32>
}

// CHECK-LABEL: func @pooling
func.func @pooling(%x: tensor<1x3x10x9xf32>) -> (tensor<1x3x5x5xf32>, tensor<1x3x6x5xf32>, tensor<1x3x1x1xf32>) {
  // CHECK: cnn.max_pool2d %{{.+}} kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x3x10x9xf32> -> tensor<1x3x5x5xf32>
  %0 = cnn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x3x10x9xf32> -> tensor<1x3x5x5xf32>
  // CHECK: cnn.avg_pool2d %{{.+}} kernel [2, 2] strides [2, 2] padding [1, 0, 0, 1] ceil_mode count_include_pad : tensor<1x3x10x9xf32> -> tensor<1x3x6x5xf32>
  %1 = cnn.avg_pool2d %x kernel [2, 2] strides [2, 2] padding [1, 0, 0, 1] ceil_mode count_include_pad : tensor<1x3x10x9xf32> -> tensor<1x3x6x5xf32>
  // CHECK: cnn.global_avg_pool %{{.+}} : tensor<1x3x10x9xf32> -> tensor<1x3x1x1xf32>
  %2 = cnn.global_avg_pool %x : tensor<1x3x10x9xf32> -> tensor<1x3x1x1xf32>
  return %0, %1, %2 : tensor<1x3x5x5xf32>, tensor<1x3x6x5xf32>, tensor<1x3x1x1xf32>
}

// CHECK-LABEL: func @classifier
func.func @classifier(%x: tensor<2x8x1x1xf32>, %w: tensor<10x8xf32>, %b: tensor<10xf32>) -> (tensor<2x10xf32>, tensor<16x1xf32>) {
  // CHECK: %[[F:.+]] = cnn.flatten %{{.+}} : tensor<2x8x1x1xf32> -> tensor<2x8xf32>
  %0 = cnn.flatten %x : tensor<2x8x1x1xf32> -> tensor<2x8xf32>
  // CHECK: %[[L:.+]] = cnn.linear %[[F]], %{{.+}} bias(%{{.+}}) relu : (tensor<2x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  %1 = cnn.linear %0, %w bias(%b) relu : (tensor<2x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  // CHECK: cnn.linear %[[L]], %{{.+}} : (tensor<2x10xf32>, tensor<10x10xf32>) -> tensor<2x10xf32>
  %w2 = arith.constant dense<1.0> : tensor<10x10xf32>
  %2 = cnn.linear %1, %w2 : (tensor<2x10xf32>, tensor<10x10xf32>) -> tensor<2x10xf32>
  // CHECK: cnn.softmax %{{.+}} : tensor<2x10xf32>
  %3 = cnn.softmax %2 : tensor<2x10xf32>
  // CHECK: cnn.softmax %{{.+}} axis 0 : tensor<2x10xf32>
  %4 = cnn.softmax %3 axis 0 : tensor<2x10xf32>
  // CHECK: cnn.flatten %{{.+}} axis 4 : tensor<2x8x1x1xf32> -> tensor<16x1xf32>
  %5 = cnn.flatten %x axis 4 : tensor<2x8x1x1xf32> -> tensor<16x1xf32>
  return %4, %5 : tensor<2x10xf32>, tensor<16x1xf32>
}

// CHECK-LABEL: func @shortcut_a
func.func @shortcut_a(%x: tensor<1x16x32x32xf32>) -> (tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>) {
  // CHECK: %[[S:.+]] = cnn.slice %{{.+}} starts [0, 0, 0, 0] sizes [1, 16, 16, 16] steps [1, 1, 2, 2] : tensor<1x16x32x32xf32> -> tensor<1x16x16x16xf32>
  %0 = cnn.slice %x starts [0, 0, 0, 0] sizes [1, 16, 16, 16] steps [1, 1, 2, 2] : tensor<1x16x32x32xf32> -> tensor<1x16x16x16xf32>
  // CHECK: cnn.pad %[[S]] low [0, 8, 0, 0] high [0, 8, 0, 0] : tensor<1x16x16x16xf32> -> tensor<1x32x16x16xf32>
  %1 = cnn.pad %0 low [0, 8, 0, 0] high [0, 8, 0, 0] : tensor<1x16x16x16xf32> -> tensor<1x32x16x16xf32>
  // CHECK: cnn.pad %[[S]] low [0, 8, 0, 0] high [0, 8, 0, 0] value 5.000000e-01 : tensor<1x16x16x16xf32> -> tensor<1x32x16x16xf32>
  %2 = cnn.pad %0 low [0, 8, 0, 0] high [0, 8, 0, 0] value 0.5 : tensor<1x16x16x16xf32> -> tensor<1x32x16x16xf32>
  return %1, %2 : tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>
}

// The activations, the broadcast product and the concatenation of the
// efficient families, and a kernel decision.
// CHECK-LABEL: func @efficient_ops
func.func @efficient_ops(%x: tensor<1x8x4x4xf32>, %s: tensor<1x8x1x1xf32>, %y: tensor<1x4x4x4xf32>)
    -> (tensor<1x8x4x4xf32>, tensor<1x12x4x4xf32>, tensor<1x8x1x1xf32>) {
  // CHECK: cnn.clip %{{.+}} min 0.000000e+00 max 6.000000e+00 : tensor<1x8x4x4xf32>
  %0 = cnn.clip %x min 0.0 max 6.0 : tensor<1x8x4x4xf32>
  // CHECK: cnn.hard_swish %{{.+}} : tensor<1x8x4x4xf32>
  %1 = cnn.hard_swish %0 : tensor<1x8x4x4xf32>
  // CHECK: cnn.sigmoid %{{.+}} : tensor<1x8x1x1xf32>
  %2 = cnn.sigmoid %s : tensor<1x8x1x1xf32>
  // CHECK: cnn.hard_sigmoid %{{.+}} alpha 0.166666672 beta 5.000000e-01 : tensor<1x8x1x1xf32>
  %3 = cnn.hard_sigmoid %2 alpha 0.166666672 beta 0.5 : tensor<1x8x1x1xf32>
  // CHECK: cnn.mul %{{.+}}, %{{.+}} : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %4 = cnn.mul %1, %3 : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: cnn.concat %{{.+}}, %{{.+}} : (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x12x4x4xf32>
  %5 = cnn.concat %4, %y : (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x12x4x4xf32>
  // CHECK: cnn.max_pool2d %{{.+}} kernel [4, 4] {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, pixels = 1, tail = 0, channels = 8, reduction = 1, task_rows = 1, task_channels = 8, pack_filter = false>}
  %6 = cnn.max_pool2d %4 kernel [4, 4] {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, pixels = 1, tail = 0, channels = 8, reduction = 1, task_rows = 1, task_channels = 8, pack_filter = false>} : tensor<1x8x4x4xf32> -> tensor<1x8x1x1xf32>
  return %4, %5, %6 : tensor<1x8x4x4xf32>, tensor<1x12x4x4xf32>, tensor<1x8x1x1xf32>
}

// The activations of other families, each with its constants.
// CHECK-LABEL: func @more_activations
func.func @more_activations(%x: tensor<1x8x4x4xf32>, %s: tensor<1x8x1x1xf32>, %w: tensor<8x8x1x1xf32>)
    -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  // CHECK: cnn.leaky_relu %{{.+}} alpha 1.000000e-01 : tensor<1x8x4x4xf32>
  %0 = cnn.leaky_relu %x alpha 0.1 : tensor<1x8x4x4xf32>
  // CHECK: cnn.elu %{{.+}} alpha 1.000000e+00 gamma 1.000000e+00 : tensor<1x8x4x4xf32>
  %1 = cnn.elu %0 alpha 1.0 gamma 1.0 : tensor<1x8x4x4xf32>
  // CHECK: cnn.tanh %{{.+}} : tensor<1x8x4x4xf32>
  %2 = cnn.tanh %1 : tensor<1x8x4x4xf32>
  // CHECK: cnn.softplus %{{.+}} : tensor<1x8x4x4xf32>
  %3 = cnn.softplus %2 : tensor<1x8x4x4xf32>
  // CHECK: cnn.mish %{{.+}} : tensor<1x8x4x4xf32>
  %4 = cnn.mish %3 : tensor<1x8x4x4xf32>
  // CHECK: cnn.prelu %{{.+}}, %{{.+}} : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %5 = cnn.prelu %4, %s : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: cnn.conv2d %{{.+}}, %{{.+}} activation(<kind = elu, alpha = 1.000000e+00 : f32, gamma = 1.000000e+00 : f32>) :
  %6 = cnn.conv2d %5, %w activation(#cnn.activation<kind = elu, alpha = 1.0 : f32, gamma = 1.0 : f32>)
      : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %5, %6 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// The data movement and activation of ShuffleNet and EfficientNet.
// CHECK-LABEL: func @shuffle_ops
func.func @shuffle_ops(%x: tensor<1x6x4x4xf32>) -> (tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>) {
  // CHECK: %[[R:.+]] = cnn.reshape %{{.+}} : tensor<1x6x4x4xf32> -> tensor<1x2x3x4x4xf32>
  %0 = cnn.reshape %x : tensor<1x6x4x4xf32> -> tensor<1x2x3x4x4xf32>
  // CHECK: %[[T:.+]] = cnn.transpose %[[R]] perm [0, 2, 1, 3, 4] : tensor<1x2x3x4x4xf32> -> tensor<1x3x2x4x4xf32>
  %1 = cnn.transpose %0 perm [0, 2, 1, 3, 4] : tensor<1x2x3x4x4xf32> -> tensor<1x3x2x4x4xf32>
  // CHECK: cnn.reshape %[[T]] : tensor<1x3x2x4x4xf32> -> tensor<1x6x4x4xf32>
  %2 = cnn.reshape %1 : tensor<1x3x2x4x4xf32> -> tensor<1x6x4x4xf32>
  // CHECK: cnn.channel_shuffle %{{.+}} groups 2 : tensor<1x6x4x4xf32>
  %3 = cnn.channel_shuffle %2 groups 2 : tensor<1x6x4x4xf32>
  // CHECK: cnn.silu %{{.+}} : tensor<1x6x4x4xf32>
  %4 = cnn.silu %3 : tensor<1x6x4x4xf32>
  return %2, %4 : tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>
}

// Nearest and bilinear resizes.
// CHECK-LABEL: func @resize
func.func @resize(%x: tensor<1x5x7x9xf32>) -> (tensor<1x5x14x18xf32>, tensor<1x5x23x17xf32>) {
  // CHECK: cnn.resize %{{.+}} nearest coordinates asymmetric nearest floor scales [2.000000e+00, 2.000000e+00] : tensor<1x5x7x9xf32> -> tensor<1x5x14x18xf32>
  %0 = cnn.resize %x nearest coordinates asymmetric nearest floor scales [2.0, 2.0] : tensor<1x5x7x9xf32> -> tensor<1x5x14x18xf32>
  // CHECK: cnn.resize %{{.+}} linear coordinates half_pixel : tensor<1x5x7x9xf32> -> tensor<1x5x23x17xf32>
  %1 = cnn.resize %x linear coordinates half_pixel : tensor<1x5x7x9xf32> -> tensor<1x5x23x17xf32>
  return %0, %1 : tensor<1x5x14x18xf32>, tensor<1x5x23x17xf32>
}

// ConvNeXt's arithmetic: broadcasting binary ops (one type printed when all
// three agree), reductions, layer norm and GELU.
// CHECK-LABEL: func @convnext_ops
func.func @convnext_ops(%x: tensor<1x7x7x96xf32>, %c: tensor<1x1x1x96xf32>, %s: tensor<96xf32>)
    -> (tensor<1x7x7x96xf32>, tensor<1x7x7x96xf32>, tensor<1x7x7x96xf32>) {
  // CHECK: %[[M:.+]] = cnn.reduce_mean %{{.+}} axes [3] : tensor<1x7x7x96xf32> -> tensor<1x7x7x1xf32>
  %m = cnn.reduce_mean %x axes [3] : tensor<1x7x7x96xf32> -> tensor<1x7x7x1xf32>
  // CHECK: cnn.sub %{{.+}}, %[[M]] : (tensor<1x7x7x96xf32>, tensor<1x7x7x1xf32>) -> tensor<1x7x7x96xf32>
  %d = cnn.sub %x, %m : (tensor<1x7x7x96xf32>, tensor<1x7x7x1xf32>) -> tensor<1x7x7x96xf32>
  // CHECK: cnn.sqrt %{{.+}} : tensor<1x7x7x1xf32>
  %r = cnn.sqrt %m : tensor<1x7x7x1xf32>
  // CHECK: cnn.div %{{.+}}, %{{.+}} : (tensor<1x7x7x96xf32>, tensor<1x7x7x1xf32>) -> tensor<1x7x7x96xf32>
  %n = cnn.div %d, %r : (tensor<1x7x7x96xf32>, tensor<1x7x7x1xf32>) -> tensor<1x7x7x96xf32>
  // CHECK: cnn.add %{{.+}}, %{{.+}} : (tensor<1x7x7x96xf32>, tensor<1x1x1x96xf32>) -> tensor<1x7x7x96xf32>
  %a = cnn.add %n, %c : (tensor<1x7x7x96xf32>, tensor<1x1x1x96xf32>) -> tensor<1x7x7x96xf32>
  // CHECK: cnn.add %{{.+}}, %{{.+}} : tensor<1x7x7x96xf32>
  %a2 = cnn.add %a, %x : tensor<1x7x7x96xf32>
  // CHECK: cnn.erf %{{.+}} : tensor<1x7x7x96xf32>
  %e = cnn.erf %a2 : tensor<1x7x7x96xf32>
  // CHECK: cnn.gelu %{{.+}} : tensor<1x7x7x96xf32>
  %g = cnn.gelu %e : tensor<1x7x7x96xf32>
  // CHECK: cnn.layer_norm %{{.+}}, %{{.+}}, %{{.+}} axis 3 epsilon 9.99999997E-7 : (tensor<1x7x7x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x7x7x96xf32>
  %l = cnn.layer_norm %x, %s, %s axis 3 epsilon 1.0e-6 : (tensor<1x7x7x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x7x7x96xf32>
  return %a2, %g, %l : tensor<1x7x7x96xf32>, tensor<1x7x7x96xf32>, tensor<1x7x7x96xf32>
}

// CHECK-LABEL: func @depth_to_space
func.func @depth_to_space(%x: tensor<1x8x3x5xf32>) -> (tensor<1x2x6x10xf32>, tensor<1x2x6x10xf32>) {
  // CHECK: cnn.depth_to_space %{{.+}} block 2 : tensor<1x8x3x5xf32> -> tensor<1x2x6x10xf32>
  %0 = cnn.depth_to_space %x block 2 : tensor<1x8x3x5xf32> -> tensor<1x2x6x10xf32>
  // CHECK: cnn.depth_to_space %{{.+}} block 2 crd : tensor<1x8x3x5xf32> -> tensor<1x2x6x10xf32>
  %1 = cnn.depth_to_space %x block 2 crd : tensor<1x8x3x5xf32> -> tensor<1x2x6x10xf32>
  return %0, %1 : tensor<1x2x6x10xf32>, tensor<1x2x6x10xf32>
}

// CHECK-LABEL: func @log_softmax
func.func @log_softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  // CHECK: cnn.softmax %{{.+}} axis 1 log : tensor<2x10xf32>
  %0 = cnn.softmax %x axis 1 log : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}
