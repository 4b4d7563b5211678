// RUN: cnn-opt %s -split-input-file -convert-cnn-to-linalg | FileCheck %s
// RUN: cnn-opt %s -split-input-file -convert-cnn-to-linalg -canonicalize | FileCheck %s --check-prefix=CANON

// Activations are elementwise generics computed in NHWC between transposes,
// so that a chain of channels-last ops keeps one layout.
// CHECK-LABEL: func @activations
// CHECK: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<1x4x4x8xf32>)
// CHECK: arith.maximumf %{{.+}}, %{{.+}} : f32
// CHECK: arith.minimumf %{{.+}}, %{{.+}} : f32
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
// Sigmoid: 1 / (1 + exp(-x)), exp as buildExp expands it (see @silu).
// CHECK: arith.negf
// CHECK: arith.shli
// CHECK: arith.divf
// Hard swish: x * min(max(x + 3, 0), 6) / 6.
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.divf
// CHECK: arith.mulf
// After canonicalization only the function's own layout changes remain.
// CANON-LABEL: func @activations
// CANON-COUNT-1: permutation = [0, 2, 3, 1]
// CANON-COUNT-3: linalg.generic
// CANON-COUNT-1: permutation = [0, 3, 1, 2]
// CANON-NOT: linalg.transpose
func.func @activations(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.clip %x min 0.0 max 6.0 : tensor<1x8x4x4xf32>
  %1 = cnn.sigmoid %0 : tensor<1x8x4x4xf32>
  %2 = cnn.hard_swish %1 : tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// Squeeze-excitation's scale: the [N, C, 1, 1] gate broadcasts over H and W
// (constant indices in its map), in NHWC.
// CHECK-DAG: #[[GATE:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @scale
// CANON-LABEL: func @scale
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[GATE]], #[[ID]]]{{.*}} ins(%{{.+}}, %{{.+}} : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>)
// CHECK: arith.mulf
func.func @scale(%x: tensor<1x8x4x4xf32>, %s: tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.hard_sigmoid %s alpha 0.166666672 beta 0.5 : tensor<1x8x1x1xf32>
  %1 = cnn.mul %x, %0 : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// Channel concatenation: each input inserted at its channel offset of an
// NHWC tensor.
// CHECK-LABEL: func @concat
// CHECK: %[[E:.+]] = tensor.empty() : tensor<1x4x4x12xf32>
// CHECK: %[[A:.+]] = tensor.insert_slice %{{.+}} into %[[E]][0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK: tensor.insert_slice %{{.+}} into %[[A]][0, 0, 0, 8] [1, 4, 4, 4] [1, 1, 1, 1]
func.func @concat(%x: tensor<1x8x4x4xf32>, %y: tensor<1x4x4x4xf32>) -> tensor<1x12x4x4xf32> {
  %0 = cnn.concat %x, %y : (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x12x4x4xf32>
  return %0 : tensor<1x12x4x4xf32>
}

// -----

// SiLU is one elementwise generic: x / (1 + exp(-x)), with exp(-x) in
// elementwise arithmetic (buildExp): -x clamped, n = round(-x / ln 2) from
// one FMA with the shifter 1.5 * 2^23 + 127 (0x4B40007F), r = -x - n ln 2,
// e^r = 1 + r + r^2 q(r) with q of degree 3, times 2^n from the shifted
// bits of the FMA's result.
// CHECK-LABEL: func @silu
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[NEG:.+]] = arith.negf %[[IN]] : f32
// CHECK: %[[LOW:.+]] = arith.maximumf %[[NEG]], %{{.+}} : f32
// CHECK: %[[X:.+]] = arith.minimumf %[[LOW]], %{{.+}} : f32
// CHECK: %[[SHIFTER:.+]] = arith.constant 0x4B40007F : f32
// CHECK: %[[BIASED:.+]] = math.fma %[[X]], %{{.+}}, %[[SHIFTER]] : f32
// CHECK: %[[N:.+]] = arith.subf %[[BIASED]], %[[SHIFTER]] : f32
// CHECK: %[[R0:.+]] = math.fma %[[N]], %{{.+}}, %[[X]] : f32
// CHECK: %[[R:.+]] = math.fma %[[N]], %{{.+}}, %[[R0]] : f32
// CHECK-COUNT-3: math.fma
// CHECK: %[[R2:.+]] = arith.mulf %[[R]], %[[R]] : f32
// CHECK: %[[Q:.+]] = math.fma %{{.+}}, %[[R2]], %[[R]] : f32
// CHECK: %[[ER:.+]] = arith.addf %[[Q]], %{{.+}} : f32
// CHECK: %[[BITS:.+]] = arith.bitcast %[[BIASED]] : f32 to i32
// CHECK: %[[POW:.+]] = arith.shli %[[BITS]], %{{.+}} : i32
// CHECK: %[[POW2:.+]] = arith.bitcast %[[POW]] : i32 to f32
// CHECK: %[[E:.+]] = arith.mulf %[[ER]], %[[POW2]] : f32
// CHECK: %[[D:.+]] = arith.addf %{{.+}}, %[[E]] : f32
// CHECK: arith.divf %[[IN]], %[[D]] : f32
// CHECK-NOT: math.exp
func.func @silu(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.silu %x : tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// A channel shuffle in NHWC: split the trailing channels into groups, swap
// the group dimensions, merge them back.
// CHECK-LABEL: func @channel_shuffle
// CHECK: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0], [1], [2], [3, 4]] {{.*}} : tensor<1x4x5x6xf32> into tensor<1x4x5x3x2xf32>
// CHECK: linalg.transpose {{.*}} permutation = [0, 1, 2, 4, 3]
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x4x5x2x3xf32> into tensor<1x4x5x6xf32>
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
func.func @channel_shuffle(%x: tensor<1x6x4x5xf32>) -> tensor<1x6x4x5xf32> {
  %0 = cnn.channel_shuffle %x groups 3 : tensor<1x6x4x5xf32>
  return %0 : tensor<1x6x4x5xf32>
}

// -----

// Reshapes of any rank collapse to 1-D and expand (views after
// bufferization); transposes are linalg.transpose.
// CHECK-LABEL: func @reshape_transpose
// CHECK: %[[F:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x6x4x4xf32> into tensor<96xf32>
// CHECK: %[[E:.+]] = tensor.expand_shape %[[F]] {{\[\[}}0, 1, 2, 3, 4]] {{.*}} : tensor<96xf32> into tensor<1x2x3x4x4xf32>
// CHECK: linalg.transpose ins(%[[E]] : tensor<1x2x3x4x4xf32>) {{.*}} permutation = [0, 2, 1, 3, 4]
func.func @reshape_transpose(%x: tensor<1x6x4x4xf32>) -> tensor<1x3x2x4x4xf32> {
  %0 = cnn.reshape %x : tensor<1x6x4x4xf32> -> tensor<1x2x3x4x4xf32>
  %1 = cnn.transpose %0 perm [0, 2, 1, 3, 4] : tensor<1x2x3x4x4xf32> -> tensor<1x3x2x4x4xf32>
  return %1 : tensor<1x3x2x4x4xf32>
}

// -----

// A bilinear resize reads the input (NHWC) at positions from constant
// tables: per output row and column the two neighbours and the weight of
// the second, here for 2 -> 4 with half-pixel centres: positions -0.25
// (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
// CHECK-LABEL: func @resize_bilinear
// CHECK-DAG: arith.constant dense<[0, 0, 0, 1]> : tensor<4xi32>
// CHECK-DAG: arith.constant dense<1> : tensor<4xi32>
// CHECK-DAG: arith.constant dense<[0.000000e+00, 2.500000e-01, 7.500000e-01, 0.000000e+00]> : tensor<4xf32>
// CHECK: linalg.generic
// CHECK-COUNT-4: tensor.extract %{{.+}}[%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}] : tensor<1x2x2x3xf32>
// CHECK: linalg.yield
func.func @resize_bilinear(%x: tensor<1x3x2x2xf32>) -> tensor<1x3x4x4xf32> {
  %0 = cnn.resize %x linear coordinates half_pixel : tensor<1x3x2x2xf32> -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// Nearest, asymmetric, floor by 2: one table per axis, one read.
// CHECK-LABEL: func @resize_nearest
// CHECK: arith.constant dense<[0, 0, 1, 1]> : tensor<4xi32>
// CHECK: linalg.generic
// CHECK-COUNT-1: tensor.extract
// CHECK-NEXT: linalg.yield
func.func @resize_nearest(%x: tensor<1x3x2x2xf32>) -> tensor<1x3x4x4xf32> {
  %0 = cnn.resize %x nearest coordinates asymmetric nearest floor scales [2.0, 2.0] : tensor<1x3x2x2xf32> -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// Layer norm: the mean as a sum over the axis times 1/extent; the variance
// as a sum of the squared centred values, centred inside the reduction (the
// mean read once per row); 1/sqrt(var + eps) once per row; then one
// elementwise generic with no division: (x - mean) * rstd * scale + bias.
// CHECK-LABEL: func @layer_norm
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x2x2x4xf32>
// CHECK: %[[SUM:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}} ins(%[[X]] : tensor<1x2x2x4xf32>)
// CHECK: arith.addf
// CHECK: %[[MEAN:.+]] = linalg.generic
// CHECK: arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK: %[[SQUARES:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}} ins(%[[X]], %[[MEAN]] : tensor<1x2x2x4xf32>, tensor<1x2x2x1xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: %[[D:.+]] = arith.subf
// CHECK-NEXT: %[[D2:.+]] = arith.mulf %[[D]], %[[D]]
// CHECK-NEXT: arith.addf %{{.+}}, %[[D2]]
// CHECK: %[[RSTD:.+]] = linalg.generic
// CHECK: arith.mulf
// CHECK-NEXT: arith.addf
// CHECK-NEXT: math.sqrt
// CHECK-NEXT: arith.divf
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[MEAN]], %[[RSTD]], %{{.+}}, %{{.+}} :
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.subf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.addf
// CHECK-NOT: arith.divf
// CHECK: return
func.func @layer_norm(%x: tensor<1x2x2x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<1x2x2x4xf32> {
  %0 = cnn.layer_norm %x, %s, %b axis 3 epsilon 1.0e-6 : (tensor<1x2x2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x2x2x4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

// -----

// GELU: x / 2 * (1 + erf(x / sqrt(2))) in one generic.
// CHECK-LABEL: func @gelu
// CHECK: linalg.generic
// CHECK: arith.constant 0.707106769 : f32
// CHECK: arith.mulf
// CHECK: math.erf
// CHECK-NEXT: arith.addf
// CHECK: arith.mulf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: linalg.yield
func.func @gelu(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %0 = cnn.gelu %x : tensor<1x2x2x4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

// -----

// A depth-to-space in NHWC: split the trailing channels into the block
// offsets and the channels (DCR: i, j, c; CRD: c, i, j), move the offsets
// next to the rows and columns, merge. In DCR order the innermost dimension
// stays the channels: each output pixel is a contiguous copy.
// CHECK-LABEL: func @depth_to_space
// CHECK: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0], [1], [2], [3, 4, 5]] output_shape [1, 3, 5, 2, 2, 2]
// CHECK: linalg.transpose {{.*}} permutation = [0, 1, 3, 2, 4, 5]
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2], [3, 4], [5]] : tensor<1x3x2x5x2x2xf32> into tensor<1x6x10x2xf32>
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
// CHECK: tensor.expand_shape
// CHECK: linalg.transpose {{.*}} permutation = [0, 1, 4, 2, 5, 3]
// CHECK: tensor.collapse_shape
func.func @depth_to_space(%x: tensor<1x8x3x5xf32>) -> (tensor<1x2x6x10xf32>, tensor<1x2x6x10xf32>) {
  %0 = cnn.depth_to_space %x block 2 : tensor<1x8x3x5xf32> -> tensor<1x2x6x10xf32>
  %1 = cnn.depth_to_space %x block 2 crd : tensor<1x8x3x5xf32> -> tensor<1x2x6x10xf32>
  return %0, %1 : tensor<1x2x6x10xf32>, tensor<1x2x6x10xf32>
}
