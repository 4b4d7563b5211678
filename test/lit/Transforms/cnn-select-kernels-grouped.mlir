// RUN: cnn-opt %s -split-input-file -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2
// RUN: not cnn-opt %s -split-input-file -cnn-select-kernels="kernel-config=%S/Inputs/kernel-config-grouped.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CONFIG

// Grouped convolutions: groups with fewer outputs than a vector's lanes
// get register blocks of one vector spanning whole groups (`channels` a
// multiple of the group's outputs, `reduction` all of a group's inputs,
// unrolled); wider groups get blocks within one group.

// ResNeXt's 32 groups of 4 (56x56): one vector spans 4 groups (AVX-512)
// or 2 (AVX2; its 16 registers hold 4 filter vectors, an input vector and
// a shuffled one besides the accumulators: 5 x 10 + 6 pixels).
// CHECK-LABEL: func @groups_of_4
// CHECK: groups 32 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 14, tail = 0, channels = 16, reduction = 4, task_rows = 1, task_channels = 128, pack_filter = false, groups = 32>}
// AVX2-LABEL: func @groups_of_4
// AVX2: groups 32 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, pixels = 10, tail = 6, channels = 8, reduction = 4, task_rows = 1, task_channels = 128, pack_filter = false, groups = 32>}
// A config asking for a block of two vectors of groups is refused, with
// what a spanning block must be.
// CONFIG: kernel config '{{.*}}kernel-config-grouped.json': layer 'g4': channels (32) spanning groups of 4 outputs must be one vector of 16 lanes
func.func @groups_of_4(%x: tensor<1x128x58x58xf32>) -> tensor<1x128x56x56xf32> {
  %w = arith.constant dense<0.5> : tensor<128x4x3x3xf32>
  %0 = cnn.conv2d %x, %w groups 32 : (tensor<1x128x58x58xf32>, tensor<128x4x3x3xf32>) -> tensor<1x128x56x56xf32> loc("g4")
  return %0 : tensor<1x128x56x56xf32>
}

// -----

// 8 outputs per group, stride 2 (ResNeXt's layer2 entry): 2 groups per
// AVX-512 vector; with AVX2 a group is a whole vector already.
// CHECK-LABEL: func @groups_of_8
// CHECK: channels = 16, reduction = 8,
// AVX2-LABEL: func @groups_of_8
// AVX2: channels = 8, reduction = 8,
func.func @groups_of_8(%x: tensor<1x256x57x57xf32>) -> tensor<1x256x28x28xf32> {
  %w = arith.constant dense<0.5> : tensor<256x8x3x3xf32>
  %0 = cnn.conv2d %x, %w strides [2, 2] groups 32 : (tensor<1x256x57x57xf32>, tensor<256x8x3x3xf32>) -> tensor<1x256x28x28xf32>
  return %0 : tensor<1x256x28x28xf32>
}

// -----

// 13 groups of 8 (RegNet): 104 channels are no whole number of 16-lane
// vectors, so each block stays within one group.
// CHECK-LABEL: func @groups_not_in_vectors
// CHECK: channels = 8, reduction = 8,
func.func @groups_not_in_vectors(%x: tensor<1x104x14x14xf32>) -> tensor<1x104x14x14xf32> {
  %w = arith.constant dense<0.5> : tensor<104x8x1x1xf32>
  %0 = cnn.conv2d %x, %w groups 13 : (tensor<1x104x14x14xf32>, tensor<104x8x1x1xf32>) -> tensor<1x104x14x14xf32>
  return %0 : tensor<1x104x14x14xf32>
}

// -----

// 16 outputs per group (ResNeXt's layer3): a group fills a vector.
// CHECK-LABEL: func @groups_of_16
// CHECK: channels = 16, reduction = 8,
func.func @groups_of_16(%x: tensor<1x512x16x16xf32>) -> tensor<1x512x14x14xf32> {
  %w = arith.constant dense<0.5> : tensor<512x16x3x3xf32>
  %0 = cnn.conv2d %x, %w groups 32 : (tensor<1x512x16x16xf32>, tensor<512x16x3x3xf32>) -> tensor<1x512x14x14xf32>
  return %0 : tensor<1x512x14x14xf32>
}
