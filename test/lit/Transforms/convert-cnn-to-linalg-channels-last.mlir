// RUN: cnn-opt %s -split-input-file -convert-cnn-to-linalg | FileCheck %s
// RUN: cnn-opt %s -split-input-file -convert-cnn-to-linalg -canonicalize | FileCheck %s --check-prefix=CANON

// A convolution computes in NHWC: the input is transposed and padded on its
// spatial dimensions (1 and 2), the constant filter is permuted to HWCF at
// compile time, the accumulator starts as bias + residual, ReLU follows, and
// the result goes back to NCHW.
// CHECK-DAG: #[[CHANNEL:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @conv_epilogue
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x4x4xf32>, %[[B:.+]]: tensor<3xf32>, %[[R:.+]]: tensor<1x3x2x4xf32>)
// The FCHW filter value at [f, c, h, w] is f*100 + c*10 + h*2 + w; in HWCF
// order the first elements are [h=0, w=0, c=0, f=0..2], then c=1.
// CHECK: %[[XT:.+]] = linalg.transpose ins(%[[X]] : tensor<1x2x4x4xf32>) outs(%{{.+}} : tensor<1x4x4x2xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[RT:.+]] = linalg.transpose ins(%[[R]] : tensor<1x3x2x4xf32>) outs(%{{.+}} : tensor<1x2x4x3xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[PAD:.+]] = tensor.pad %[[XT]] low[0, 1, 0, 0] high[0, 0, 1, 0]
// CHECK: tensor<1x4x4x2xf32> to tensor<1x5x5x2xf32>
// CHECK: %[[W:.+]] = arith.constant dense<{{\[\[\[}}[0.000000e+00, 1.000000e+02, 2.000000e+02], [1.000000e+01, 1.100000e+02, 2.100000e+02]]
// CHECK-SAME: tensor<2x2x2x3xf32>
// CHECK: %[[INIT:.+]] = linalg.generic {indexing_maps = [#[[CHANNEL]], #[[ID]], #[[ID]]], {{.*}}} ins(%[[B]], %[[RT]] : {{.*}})
// CHECK: arith.addf
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[PAD]], %[[W]] : {{.*}}) outs(%[[INIT]] :
// CHECK: %[[RELU:.+]] = linalg.generic {{.*}} ins(%[[CONV]] :
// CHECK: arith.maximumf
// CHECK: %[[OUT:.+]] = linalg.transpose ins(%[[RELU]] : tensor<1x2x4x3xf32>) outs(%{{.+}} : tensor<1x3x2x4xf32>) permutation = [0, 3, 1, 2]
// CHECK: return %[[OUT]]
func.func @conv_epilogue(%x: tensor<1x2x4x4xf32>, %b: tensor<3xf32>, %r: tensor<1x3x2x4xf32>) -> tensor<1x3x2x4xf32> {
  %w = arith.constant dense<[[[[0.0, 1.0], [2.0, 3.0]], [[10.0, 11.0], [12.0, 13.0]]],
                             [[[100.0, 101.0], [102.0, 103.0]], [[110.0, 111.0], [112.0, 113.0]]],
                             [[[200.0, 201.0], [202.0, 203.0]], [[210.0, 211.0], [212.0, 213.0]]]]> : tensor<3x2x2x2xf32>
  %0 = cnn.conv2d %x, %w bias(%b) strides [2, 1] padding [1, 0, 0, 1] residual(%r) relu : (tensor<1x2x4x4xf32>, tensor<3x2x2x2xf32>, tensor<3xf32>, tensor<1x3x2x4xf32>) -> tensor<1x3x2x4xf32>
  return %0 : tensor<1x3x2x4xf32>
}

// -----

// A `paired_columns` kernel (width stride 2 with few input channels: a
// stem, see cnn-select-kernels): column pairs become one
// pixel of twice the channels (a reshape of the padded NHWC input, one more
// zero column to make the width even) and the convolution runs with width
// stride 1 over ceil(3/2) = 2 columns of 2 x 2 channels. Filter value at
// FCHW [f, c, h, w] is f*100 + c*10 + h*3 + w; paired HWCF [h, k, p*C + c, f]
// holds w = 2k + p, zero for w = 3.
// CHECK-LABEL: func @paired_columns
// CHECK: tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 1, 2, 0]
// CHECK: tensor<1x5x5x2xf32> to tensor<1x7x8x2xf32>
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3]] : tensor<1x7x8x2xf32> into tensor<1x7x16xf32>
// CHECK: %[[PAIRS:.+]] = tensor.expand_shape %[[FLAT]] {{\[}}[0], [1], [2, 3]] output_shape [1, 7, 4, 4] : tensor<1x7x16xf32> into tensor<1x7x4x4xf32>
// CHECK: %[[W:.+]] = arith.constant dense<{{\[\[\[}}[0.000000e+00], [1.000000e+01], [1.000000e+00], [1.100000e+01]], {{\[}}[2.000000e+00], [1.200000e+01], [0.000000e+00], [0.000000e+00]]]
// CHECK-SAME: tensor<3x2x4x1xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {cnn.kernel = #cnn.kernel<algorithm = paired_columns, {{.*}}>, dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[PAIRS]], %[[W]] : tensor<1x7x4x4xf32>, tensor<3x2x4x1xf32>)
// CHECK-SAME: -> tensor<1x3x3x1xf32>
func.func @paired_columns(%x: tensor<1x2x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %w = arith.constant dense<[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[10.0, 11.0, 12.0], [13.0, 14.0, 15.0], [16.0, 17.0, 18.0]]]]> : tensor<1x2x3x3xf32>
  %0 = cnn.conv2d %x, %w strides [2, 2] padding [1, 1, 1, 1] {cnn.kernel = #cnn.kernel<algorithm = paired_columns, vector_width = 16, pixels = 3, tail = 0, channels = 1, reduction = 4, task_rows = 1, task_channels = 1, pack_filter = false>} : (tensor<1x2x5x5xf32>, tensor<1x2x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// A filter that is not a constant is transposed at run time.
// CHECK-LABEL: func @runtime_filter
// CHECK: linalg.transpose ins(%{{.+}} : tensor<4x3x1x1xf32>) outs(%{{.+}} : tensor<1x1x3x4xf32>) permutation = [2, 3, 1, 0]
// CHECK: linalg.fill
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @runtime_filter(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x4x5x5xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x3x5x5xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

// Between two channels-last ops the transposes cancel: activations stay
// NHWC, and only the function's edges change layout.
// CANON-LABEL: func @chain
// CANON: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
// CANON: linalg.conv_2d_nhwc_hwcf
// CANON-NOT: linalg.transpose
// CANON: linalg.pooling_nhwc_max
// CANON-NOT: linalg.transpose
// CANON: linalg.conv_2d_nhwc_hwcf
// CANON: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
// CANON-NOT: linalg.transpose
// CANON: return
func.func @chain(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %w1 = arith.constant dense<0.5> : tensor<4x3x3x3xf32>
  %w2 = arith.constant dense<0.25> : tensor<4x4x1x1xf32>
  %0 = cnn.conv2d %x, %w1 padding [1, 1, 1, 1] relu : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.max_pool2d %0 kernel [2, 2] strides [2, 2] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  %2 = cnn.conv2d %1, %w2 : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  return %2 : tensor<1x4x4x4xf32>
}

// -----

// Average pooling in NHWC divides by the window sizes along dimensions 1, 2.
// CHECK-DAG: #[[SPATIAL:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-LABEL: func @avg_pool
// CHECK: tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[SUM:.+]] = linalg.pooling_nhwc_sum
// CHECK: linalg.generic {indexing_maps = [#[[SPATIAL]], {{.*}}]{{.*}} outs(%[[SUM]] :
// CHECK: arith.divf
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
func.func @avg_pool(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %0 = cnn.avg_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// A linear layer with constant weights [m=32, k=3] and a #cnn.kernel of
// 32-feature tasks packs them at compile time into one block [1, k, 32]
// (w[m, k] at [0, k, m]), multiplies with a contraction generic that carries
// the kernel for the tiling pass, and brings the blocks back to [n, m]
// before bias and ReLU.
// CHECK-DAG: #[[X:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @linear
// CHECK: %[[PACKED:.+]] = arith.constant dense<{{\[\[}}[0.000000e+00, 1.000000e+00, 2.000000e+00, {{.*}}3.100000e+01], [1.000000e+02, 1.010000e+02, {{.*}}]]]> : tensor<1x3x32xf32>
// CHECK: %[[BLOCKS:.+]] = linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %[[PACKED]] : tensor<2x3xf32>, tensor<1x3x32xf32>)
// CHECK-SAME: cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 2, tail = 0, channels = 32, reduction = 3, task_rows = 1, task_channels = 32, pack_filter = true>
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[BLOCKS]] : tensor<1x2x32xf32>) {{.*}} permutation = [1, 0, 2]
// CHECK: %[[FEATURES:.+]] = tensor.collapse_shape %[[T]] {{\[}}[0], [1, 2]] : tensor<2x1x32xf32> into tensor<2x32xf32>
// CHECK: linalg.generic {{.*}} outs(%[[FEATURES]] :
// CHECK: arith.maximumf
func.func @linear(%x: tensor<2x3xf32>, %b: tensor<32xf32>) -> tensor<2x32xf32> {
  // w[m, k] = m + 100 * k
  %w = arith.constant dense<[[0.0, 100.0, 200.0], [1.0, 101.0, 201.0], [2.0, 102.0, 202.0], [3.0, 103.0, 203.0], [4.0, 104.0, 204.0], [5.0, 105.0, 205.0], [6.0, 106.0, 206.0], [7.0, 107.0, 207.0], [8.0, 108.0, 208.0], [9.0, 109.0, 209.0], [10.0, 110.0, 210.0], [11.0, 111.0, 211.0], [12.0, 112.0, 212.0], [13.0, 113.0, 213.0], [14.0, 114.0, 214.0], [15.0, 115.0, 215.0], [16.0, 116.0, 216.0], [17.0, 117.0, 217.0], [18.0, 118.0, 218.0], [19.0, 119.0, 219.0], [20.0, 120.0, 220.0], [21.0, 121.0, 221.0], [22.0, 122.0, 222.0], [23.0, 123.0, 223.0], [24.0, 124.0, 224.0], [25.0, 125.0, 225.0], [26.0, 126.0, 226.0], [27.0, 127.0, 227.0], [28.0, 128.0, 228.0], [29.0, 129.0, 229.0], [30.0, 130.0, 230.0], [31.0, 131.0, 231.0]]> : tensor<32x3xf32>
  %0 = cnn.linear %x, %w bias(%b) relu {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 2, tail = 0, channels = 32, reduction = 3, task_rows = 1, task_channels = 32, pack_filter = true>} : (tensor<2x3xf32>, tensor<32x3xf32>, tensor<32xf32>) -> tensor<2x32xf32>
  return %0 : tensor<2x32xf32>
}

// -----

// The option-A shortcut moves data in NHWC: the slice's and pad's attributes
// are permuted to channels-last, and their transposes cancel with the
// neighbouring layers' (here only the function's own boundaries remain).
// CHECK-LABEL: func @shortcut_a
// CHECK: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 16, 16, 16] [1, 2, 2, 1] : tensor<1x32x32x16xf32> to tensor<1x16x16x16xf32>
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 8] high[0, 0, 0, 8]
// CHECK: tensor<1x16x16x16xf32> to tensor<1x16x16x32xf32>
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
// CANON-LABEL: func @shortcut_a
// CANON-COUNT-2: linalg.transpose
// CANON-NOT: linalg.transpose
func.func @shortcut_a(%x: tensor<1x16x32x32xf32>) -> tensor<1x32x16x16xf32> {
  %0 = cnn.slice %x starts [0, 0, 0, 0] sizes [1, 16, 16, 16] steps [1, 1, 2, 2] : tensor<1x16x32x32xf32> -> tensor<1x16x16x16xf32>
  %1 = cnn.pad %0 low [0, 8, 0, 0] high [0, 8, 0, 0] : tensor<1x16x16x16xf32> -> tensor<1x32x16x16xf32>
  return %1 : tensor<1x32x16x16xf32>
}

// -----

// A grouped convolution (2 groups of 2 channels) with a #cnn.kernel: the
// channels split into (group, channel) on the padded NHWC input, the
// residual and the accumulator; the filter permuted at compile time to
// [G, KH, KW, C/G, F/G] (w'[g][h][w][c][k] = w[2g + k][c][h][w]); the bias
// [4] as [2, 2] in the accumulator's init; one generic over (n, oh, ow, g,
// k, kh, kw, c) with the stride in its input map; the ReLU, the kernel's
// root, carries the decision; then the channels are merged back.
// CHECK-DAG: #[[BIAS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 * 2 + d5, d2 * 2 + d6, d3, d7)>
// CHECK-DAG: #[[FILTER:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d3, d5, d6, d7, d4)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func @grouped
// CANON-LABEL: func @grouped
// CHECK: %[[PADDED:.+]] = tensor.pad
// CHECK: %[[X:.+]] = tensor.expand_shape %[[PADDED]] {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 7, 7, 2, 2] : tensor<1x7x7x4xf32> into tensor<1x7x7x2x2xf32>
// CHECK: %[[W:.+]] = arith.constant dense<{{\[\[\[\[\[}}0.000000e+00, 1.800000e+01], [9.000000e+00, 2.700000e+01]], {{.*}} : tensor<2x3x3x2x2xf32>
// CHECK: %[[B:.+]] = tensor.expand_shape %arg1 {{\[}}[0, 1]] output_shape [2, 2] : tensor<4xf32> into tensor<2x2xf32>
// CHECK: %[[R:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 3, 3, 2, 2]
// CHECK: %[[INIT:.+]] = linalg.generic {indexing_maps = [#[[BIAS]], {{.*}}]{{.*}} ins(%[[B]], %[[R]] :
// CHECK: %[[CONV:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[FILTER]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[X]], %[[W]] : tensor<1x7x7x2x2xf32>, tensor<2x3x3x2x2xf32>) outs(%[[INIT]] : tensor<1x3x3x2x2xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[RELU:.+]] = linalg.generic {{.*}} ins(%[[CONV]] : tensor<1x3x3x2x2xf32>) {{.*}} attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 3, tail = 0, channels = 2, reduction = 2, task_rows = 1, task_channels = 4, pack_filter = false, groups = 2>}
// CHECK: arith.maximumf
// CHECK: tensor.collapse_shape %[[RELU]] {{\[}}[0], [1], [2], [3, 4]] : tensor<1x3x3x2x2xf32> into tensor<1x3x3x4xf32>
func.func @grouped(%x: tensor<1x4x5x5xf32>, %b: tensor<4xf32>, %r: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %w = arith.constant dense<[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]], [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]]], [[[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]], [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]], [[[36.0, 37.0, 38.0], [39.0, 40.0, 41.0], [42.0, 43.0, 44.0]], [[45.0, 46.0, 47.0], [48.0, 49.0, 50.0], [51.0, 52.0, 53.0]]], [[[54.0, 55.0, 56.0], [57.0, 58.0, 59.0], [60.0, 61.0, 62.0]], [[63.0, 64.0, 65.0], [66.0, 67.0, 68.0], [69.0, 70.0, 71.0]]]]> : tensor<4x2x3x3xf32>
  %0 = cnn.conv2d %x, %w bias(%b) strides [2, 2] padding [1, 1, 1, 1] groups 2 residual(%r) relu {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 3, tail = 0, channels = 2, reduction = 2, task_rows = 1, task_channels = 4, pack_filter = false, groups = 2>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>, tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// A global average pooling with a #cnn.kernel: in NHWC, a sum pooling whose
// window is the whole 5x7 image (carrying the decision), then the division
// by 35, then the [1, 1, 1, 8] sums as NCHW [1, 8, 1, 1].
// CHECK-LABEL: func @global_avg_pool
// CANON-LABEL: func @global_avg_pool
// CHECK: %[[NHWC:.+]] = linalg.transpose ins(%arg0 : tensor<1x8x5x7xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: %[[WINDOW:.+]] = tensor.empty() : tensor<5x7xf32>
// CHECK: %[[SUM:.+]] = linalg.pooling_nhwc_sum {cnn.kernel = #cnn.kernel<algorithm = direct, {{.*}}>, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[NHWC]], %[[WINDOW]] : tensor<1x5x7x8xf32>, tensor<5x7xf32>) outs(%{{.+}} : tensor<1x1x1x8xf32>)
// CHECK: %[[AVG:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x1x1x8xf32>)
// CHECK: arith.constant 3.500000e+01 : f32
// CHECK: arith.divf
// CHECK: linalg.transpose ins(%[[AVG]] : tensor<1x1x1x8xf32>) {{.*}} permutation = [0, 3, 1, 2]
func.func @global_avg_pool(%x: tensor<1x8x5x7xf32>) -> tensor<1x8x1x1xf32> {
  %0 = cnn.global_avg_pool %x {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 1, tail = 0, channels = 8, reduction = 1, task_rows = 1, task_channels = 8, pack_filter = false>} : tensor<1x8x5x7xf32> -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// Summed in the producer (in_producer): the sums of each row, [1, 5, 1, 8]
// (loops n, h, w, c with the width reduced, carrying the decision for the
// producer's kernel to find), then a sum pooling of those rows (a 5x1
// window), the division by the 35 pixels and the layout change as before.
// CHECK-DAG: #[[SAME:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, d3)>
// CHECK-LABEL: func @global_avg_pool_in_producer
// CHECK: %[[NHWC:.+]] = linalg.transpose ins(%arg0 : tensor<1x8x5x7xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: %[[ZERO:.+]] = linalg.fill {{.*}} -> tensor<1x5x1x8xf32>
// CHECK: %[[ROWS:.+]] = linalg.generic {indexing_maps = [#[[SAME]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[NHWC]] : tensor<1x5x7x8xf32>) outs(%[[ZERO]] : tensor<1x5x1x8xf32>) attrs = {cnn.kernel = #cnn.kernel<{{.*}}in_producer = true>}
// CHECK: arith.addf
// CHECK: %[[WINDOW:.+]] = tensor.empty() : tensor<5x1xf32>
// CHECK: %[[SUM:.+]] = linalg.pooling_nhwc_sum {cnn.kernel = #cnn.kernel<{{.*}}in_producer = true>, {{.*}}} ins(%[[ROWS]], %[[WINDOW]] : tensor<1x5x1x8xf32>, tensor<5x1xf32>) outs(%{{.+}} : tensor<1x1x1x8xf32>)
// CHECK: arith.constant 3.500000e+01 : f32
// CHECK: arith.divf
// CHECK: linalg.transpose
func.func @global_avg_pool_in_producer(%x: tensor<1x8x5x7xf32>) -> tensor<1x8x1x1xf32> {
  %0 = cnn.global_avg_pool %x {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 1, tail = 0, channels = 8, reduction = 1, task_rows = 1, task_channels = 8, pack_filter = false, in_producer = true>} : tensor<1x8x5x7xf32> -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// An input scale (a squeeze-excitation gate): each image's HWCF filter is
// the constant times its gates, [N, KH*KW, C, F] elementwise (F innermost,
// vectorized), and the convolution reads filter [n, kh, kw, c, f]; the
// feature map is not multiplied.
// CHECK-DAG: #[[TAPS:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG: #[[GATES:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2)>
// CHECK-DAG: #[[IMAGE_FILTER:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d5, d6, d3)>
// CHECK-LABEL: func @input_scale
// CHECK-SAME: (%[[X:.+]]: tensor<2x4x3x5xf32>, %[[G:.+]]: tensor<2x4x1x1xf32>)
// CHECK: %[[XT:.+]] = linalg.transpose ins(%[[X]] : tensor<2x4x3x5xf32>)
// CHECK: %[[W:.+]] = arith.constant dense<1.000000e+00> : tensor<1x1x4x16xf32>
// CHECK: %[[WT:.+]] = tensor.collapse_shape %[[W]] {{\[\[}}0, 1], [2], [3]] : tensor<1x1x4x16xf32> into tensor<1x4x16xf32>
// CHECK: %[[GT:.+]] = tensor.collapse_shape %[[G]] {{\[\[}}0], [1, 2, 3]] : tensor<2x4x1x1xf32> into tensor<2x4xf32>
// CHECK: %[[SCALED:.+]] = linalg.generic {indexing_maps = [#[[TAPS]], #[[GATES]], #{{.+}}], {{.+}}} ins(%[[WT]], %[[GT]] : tensor<1x4x16xf32>, tensor<2x4xf32>)
// CHECK: arith.mulf
// CHECK: -> tensor<2x1x4x16xf32>
// CHECK: %[[FILTERS:.+]] = tensor.expand_shape %[[SCALED]] {{.+}} into tensor<2x1x1x4x16xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[IMAGE_FILTER]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[XT]], %[[FILTERS]] : tensor<2x3x5x4xf32>, tensor<2x1x1x4x16xf32>) {{.+}} attrs = {cnn.kernel = #cnn.kernel<algorithm = direct
// CHECK-NOT: linalg.conv_2d
func.func @input_scale(%x: tensor<2x4x3x5xf32>, %g: tensor<2x4x1x1xf32>) -> tensor<2x16x3x5xf32> {
  %w = arith.constant dense<1.0> : tensor<16x4x1x1xf32>
  %0 = cnn.conv2d %x, %w input_scale(%g) {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 5, tail = 0, channels = 16, reduction = 4, task_rows = 1, task_channels = 16, pack_filter = false>} : (tensor<2x4x3x5xf32>, tensor<16x4x1x1xf32>, tensor<2x4x1x1xf32>) -> tensor<2x16x3x5xf32>
  return %0 : tensor<2x16x3x5xf32>
}
